"""Linear regression from scratch, as the book writes it: a user script mypy --strict must
accept with ferrograd's stubs (tests/test_typing.py)."""

import random
from typing import Iterator

from ferrograd import autograd, nd

num_inputs, num_examples = 2, 1000
true_w, true_b = [2, -3.4], 4.2
features = nd.random.normal(scale=1, shape=(num_examples, num_inputs))
labels = true_w[0] * features[:, 0] + true_w[1] * features[:, 1] + true_b
labels += nd.random.normal(scale=0.01, shape=labels.shape)


def data_iter(batch_size: int, features: nd.NDArray,
              labels: nd.NDArray) -> Iterator[tuple[nd.NDArray, nd.NDArray]]:
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        j = nd.array(indices[i: min(i + batch_size, num_examples)])
        yield features.take(j), labels.take(j)


w = nd.random.normal(scale=0.01, shape=(num_inputs, 1))
b = nd.zeros(shape=(1,))
w.attach_grad()
b.attach_grad()


def linreg(X: nd.NDArray, w: nd.NDArray, b: nd.NDArray) -> nd.NDArray:
    return nd.dot(X, w) + b


def squared_loss(y_hat: nd.NDArray, y: nd.NDArray) -> nd.NDArray:
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params: list[nd.NDArray], lr: float, batch_size: int) -> None:
    for param in params:
        param[:] = param - lr * param.grad / batch_size


lr, num_epochs, batch_size = 0.03, 3, 10
for epoch in range(num_epochs):
    for X, y in data_iter(batch_size, features, labels):
        with autograd.record():
            l = squared_loss(linreg(X, w, b), y)
        l.backward()
        sgd([w, b], lr, batch_size)
    train_l = squared_loss(linreg(features, w, b), labels)
    print("epoch %d, loss %f" % (epoch + 1, train_l.mean().asscalar()))
print(true_b - b.asscalar(), (w.reshape((2,)) - nd.array(true_w)).norm().asscalar())
