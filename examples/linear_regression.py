"""Linear regression from scratch (D2L, MXNet edition, "Linear Regression Implementation from
Scratch"), on ferrograd.

Synthetic data: 1000 examples with 2 features drawn from N(0, 1), labels
y = X w + b + noise with true_w = [2, -3.4], true_b = 4.2 and noise ~ N(0, 0.01^2).
The model is trained by minibatch stochastic gradient descent (batch size 10, learning rate
0.03, 3 epochs) on the squared loss, exactly as in the book: parameters made with
``nd.random.normal`` / ``nd.zeros`` and ``attach_grad()``, a shuffling ``data_iter``, the loss
computed inside ``autograd.record()``, ``l.backward()`` and ``sgd`` updating ``param[:]``.

Prints the training loss after each epoch and the error in the learned parameters. Expected
(and asserted by tests/test_examples.py): final mean training loss < 1e-3 (the noise alone
gives about 0.5 * 0.01^2 = 5e-5), and |w - true_w| < 0.05 elementwise, |b - true_b| < 0.05.
The run is seeded (ferrograd.random.seed and Python's random.seed), so it is reproducible.

Run:  python examples/linear_regression.py
"""

import random

import ferrograd
from ferrograd import autograd, nd

LOSS_BOUND = 1e-3
PARAM_ERROR_BOUND = 0.05


# Generating the data set
def synthetic_data(true_w, true_b, num_examples):
    num_inputs = len(true_w)
    features = nd.random.normal(scale=1, shape=(num_examples, num_inputs))
    labels = true_w[0] * features[:, 0] + true_w[1] * features[:, 1] + true_b
    labels += nd.random.normal(scale=0.01, shape=labels.shape)
    return features, labels


# Reading data: shuffle, then yield minibatches picked with take
def data_iter(batch_size, features, labels):
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)  # the examples are read in random order
    for i in range(0, num_examples, batch_size):
        j = nd.array(indices[i: min(i + batch_size, num_examples)])
        yield features.take(j), labels.take(j)


# Defining the model
def linreg(X, w, b):
    return nd.dot(X, w) + b


# Defining the loss function
def squared_loss(y_hat, y):
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


# Defining the optimization algorithm
def sgd(params, lr, batch_size):
    for param in params:
        param[:] = param - lr * param.grad / batch_size


def main(num_epochs=3, lr=0.03, batch_size=10, seed=42):
    ferrograd.random.seed(seed)
    random.seed(seed)

    true_w = [2, -3.4]
    true_b = 4.2
    features, labels = synthetic_data(true_w, true_b, 1000)
    print("features[0]:", features[0].asnumpy(), "label:", labels[0].asscalar())

    # Initializing model parameters
    num_inputs = len(true_w)
    w = nd.random.normal(scale=0.01, shape=(num_inputs, 1))
    b = nd.zeros(shape=(1,))
    w.attach_grad()
    b.attach_grad()

    # Training
    net, loss = linreg, squared_loss
    losses = []
    for epoch in range(num_epochs):
        # Each iteration uses batch_size examples; X and y are a minibatch of features and labels
        for X, y in data_iter(batch_size, features, labels):
            with autograd.record():
                l = loss(net(X, w, b), y)  # minibatch loss in X and y
            l.backward()  # gradient of the minibatch loss w.r.t. the parameters (summed)
            sgd([w, b], lr, batch_size)  # update the parameters
        train_l = loss(net(features, w, b), labels)
        losses.append(float(train_l.mean().asscalar()))
        print("epoch %d, loss %f" % (epoch + 1, losses[-1]))

    w_err = [float(v) for v in (nd.array(true_w) - w.reshape((-1,))).asnumpy()]
    b_err = float(true_b - b.asscalar())
    print("learned w:", w.reshape((-1,)).asnumpy(), " true_w:", true_w)
    print("learned b: %.4f  true_b: %.1f" % (b.asscalar(), true_b))
    print("error in estimating w:", w_err)
    print("error in estimating b: %.6f" % b_err)
    return {"losses": losses, "final_loss": losses[-1], "w_error": w_err, "b_error": b_err,
            "w": w.reshape((-1,)).asnumpy().tolist(), "b": float(b.asscalar())}


if __name__ == "__main__":
    main()
