from ferrograd import autograd, nd

x = nd.arange(4)
x.attach_grad()
with autograd.record():
    y = 2 * nd.dot(x, x)
y.backward()
print(x.grad)
print(x.grad == 4 * x)

def f(a: nd.NDArray) -> nd.NDArray:
    b = a * 2
    while b.norm().asscalar() < 1000:
        b = b * 2
    if b.sum().asscalar() > 0:
        c = b
    else:
        c = 100 * b
    return c

a = nd.random.normal(shape=1)
a.attach_grad()
with autograd.record():
    d = f(a)
d.backward()
print(a.grad == d / a)
