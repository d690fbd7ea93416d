"""The gradient of a second-price auction: why it is "pathological".

D2L (MXNet edition), "Automatic Differentiation", exercise 3.

In a second-price (Vickrey) auction -- eBay's proxy bidding, or one ad slot in computational
advertising -- the highest bidder wins but pays the *second-highest* bid. With the bids in an
NDArray, the price is a differentiable-almost-everywhere function of the bids::

    bids.attach_grad()
    with autograd.record():
        top2 = nd.topk(bids, k=2, ret_typ='value')   # [highest, second highest]
        price = top2[1]
    price.backward()

``bids.grad`` is then 0 for the winner's own bid, 1 for the runner-up's bid and 0 for
everybody else (the script checks this, and the same with ``nd.sort``).

Why is this "pathological"? The winner's payment does not depend on the winner's own bid at
all: d price / d own bid = 0 wherever the bidder wins, and the payment jumps (from the
second-highest bid to nothing, as the bidder loses) when the bid crosses the runner-up's. The
bidder's utility ``value - price`` is piecewise constant in the bid, so its gradient is zero
almost everywhere and carries no information about the only thing the bid controls -- whether
the bidder wins. A gradient-based bidder (or a mechanism designer tuning bids or reserve prices
by gradient descent on payments) gets no signal: gradient steps leave the bid where it started,
and the discontinuity that matters is invisible to autograd.

What does it tell us about the mechanism? That is exactly why the second-price auction is
*truthful*: since your bid sets only whether you win, never what you pay, bidding your true
value is a dominant strategy (bidding higher only adds wins at prices above your value, lower
only loses wins you wanted). Edelman, Ostrovsky and Schwarz (2005), "Internet Advertising and
the Generalized Second-Price Auction", study the multi-slot generalisation used for search ads
(GSP: the bidder in slot i pays the bid of slot i+1). The script computes GSP payments with
``nd.topk`` too: each payment's gradient is again 0 in the payer's own bid and 1 in the next
bid down. Yet GSP, unlike the one-slot Vickrey auction and unlike VCG, is *not* truthful: a
bidder's bid chooses *which slot* they win, and shading it to drop a slot can raise their
profit. Such jumps between slots are again invisible to a gradient, so the incentive
properties of these mechanisms have to be analysed with equilibrium arguments (EOS's "locally
envy-free" equilibria), not with derivatives.

Run:  python examples/second_price_auction.py
"""

import numpy as np

from ferrograd import autograd, nd


def second_price(bids, use_sort=False):
    """Returns (winner index, price paid, bids.grad of the price)."""
    bids = bids.copy()
    bids.attach_grad()
    with autograd.record():
        if use_sort:
            ranked = nd.sort(bids, is_ascend=False)
        else:
            ranked = nd.topk(bids, k=2, ret_typ='value')
        price = ranked[1]
    price.backward()
    winner = int(bids.argmax(axis=0).asscalar())
    return winner, price.asscalar(), bids.grad.asnumpy()


def gsp_payments(bids, slots):
    """Generalised second price: slot i (0 = best) pays the (i+1)-th highest bid.

    Returns (ranking of bidders, payments, Jacobian d payment_i / d bid_j)."""
    bids = bids.copy()
    bids.attach_grad()
    jac = []
    with autograd.record():
        ranked = nd.topk(bids, k=slots + 1, ret_typ='value')
        payments = ranked[1:slots + 1]
    for i in range(slots):
        g = autograd.grad(payments, [bids], head_grads=nd.one_hot(nd.array([i]), slots)[0],
                          retain_graph=True)[0]
        jac.append(g.asnumpy())
    order = nd.topk(bids, k=slots + 1, ret_typ='indices').asnumpy().astype(int)
    return order, payments.asnumpy(), np.array(jac)


def main():
    names = ["Ann", "Bob", "Cem", "Dee", "Eva"]
    bids = nd.array([3.1, 7.5, 5.2, 1.0, 4.4])
    print("bids:", ", ".join("%s %.2f" % nb for nb in zip(names, bids.asnumpy())))

    winner, price, grad = second_price(bids)
    runner_up = int(np.argsort(-bids.asnumpy())[1])
    print("\nwinner: %s (bid %.2f), pays the second-highest bid: %.2f (%s's bid)"
          % (names[winner], bids.asnumpy()[winner], price, names[runner_up]))
    print("d price / d bids (nd.topk):", grad)
    print("  d price / d winner's own bid  = %g" % grad[winner])
    print("  d price / d runner-up's bid   = %g" % grad[runner_up])
    _, price_s, grad_s = second_price(bids, use_sort=True)
    print("d price / d bids (nd.sort):", grad_s)

    print("\nThe winner's utility, value - price, as %s (value 8.0) varies the bid:"
          % names[winner])
    value = 8.0
    sweep = []
    for b in (9.0, 8.0, 7.6, 7.0, 5.3, 5.0):
        trial = bids.asnumpy().copy()
        trial[winner] = b
        w, p, g = second_price(nd.array(trial))
        won = w == winner
        utility = value - p if won else 0.0
        sweep.append((b, won, p if won else 0.0, utility, g[winner]))
        note = "" if won else "  (now the runner-up: sets %s's price)" % names[w]
        print("  bid %.1f: %-5s pays %.2f  utility %.2f  d price / d this bid = %g%s"
              % (b, "wins" if won else "loses", p if won else 0.0, utility, g[winner], note))
    print("The price, and so the utility, is flat in the winner's own bid; the only effect of")
    print("the bid is the jump at the runner-up's %.2f where the bidder stops winning. Gradient"
          % bids.asnumpy()[runner_up])
    print("ascent on utility w.r.t. the bid gets 0 everywhere: a pathological, uninformative")
    print("gradient. It is also why truthful bidding is optimal here: the bid decides only")
    print("whether you win, never what you pay.")

    print("\nGeneralised second price (Edelman, Ostrovsky, Schwarz 2005), 3 ad slots:")
    order, payments, jac = gsp_payments(bids, slots=3)
    for i in range(3):
        print("  slot %d: %s pays %.2f (the bid of %s)"
              % (i + 1, names[order[i]], payments[i], names[order[i + 1]]))
    print("  Jacobian d payment_slot / d bid (rows: slots; columns: %s):" % ", ".join(names))
    for i in range(3):
        print("   ", jac[i])
    print("Each slot's payment has gradient 0 in its own bidder's bid and 1 in the next bid")
    print("down. GSP is nonetheless not truthful (a bid chooses the slot, and dropping a slot")
    print("can pay off); those incentives live in the jumps, which gradients do not see.")
    return {"winner": winner, "runner_up": runner_up, "price": price, "grad": grad,
            "grad_sort": grad_s, "sweep": sweep, "gsp_order": order, "gsp_payments": payments,
            "gsp_jacobian": jac}


if __name__ == "__main__":
    main()
