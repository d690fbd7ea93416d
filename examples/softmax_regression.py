"""Softmax regression from scratch (D2L, MXNet edition, "Softmax Regression Implementation from
Scratch"), on ferrograd, with a synthetic data set instead of Fashion-MNIST (no downloads).

Data: 10 classes of Gaussian blobs in 20 dimensions. Each class has a centre drawn from
N(0, CENTER_SCALE^2) per coordinate; an example is its class's centre plus N(0, 1) noise.
3000 training and 1000 test examples, classes balanced. The blobs overlap a little, so a
linear classifier can do well but not perfectly.

The model is the book's: ``softmax(X W + b)`` with ``softmax`` written out
(``X.exp()`` / row sums), the cross-entropy loss ``-nd.pick(y_hat, y).log()``, parameters made
with ``nd.random.normal`` / ``nd.zeros`` and ``attach_grad()``, a shuffling ``data_iter``,
``autograd.record()``, ``l.backward()`` and ``sgd``. Trained for 10 epochs, batch size 256,
learning rate 0.1.

Prints per-epoch loss, training and test accuracy, then the final accuracies (evaluated in
prediction mode after training). Expected (and asserted by tests/test_examples.py): the mean
training loss falls below 0.6 and the final training accuracy is above 0.85 (test accuracy
above 0.85); the seeded run gives about loss 0.40, train 0.93, test 0.92. Seeded with ferrograd.random.seed and random.seed, so reproducible.

Run:  python examples/softmax_regression.py
"""

import random

import ferrograd
from ferrograd import autograd, nd

LOSS_BOUND = 0.6
TRAIN_ACC_BOUND = 0.85
TEST_ACC_BOUND = 0.85

NUM_INPUTS = 20
NUM_OUTPUTS = 10
CENTER_SCALE = 0.8


def make_blobs(centers, num_examples):
    """Balanced classes: example i has label i % num_classes, features centre + N(0, 1)."""
    num_classes, num_inputs = centers.shape
    labels = nd.modulo(nd.arange(num_examples), num_classes)
    features = nd.take(centers, labels) + nd.random.normal(shape=(num_examples, num_inputs))
    return features, labels


def data_iter(batch_size, features, labels, shuffle=True):
    num_examples = len(features)
    indices = list(range(num_examples))
    if shuffle:
        random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        j = nd.array(indices[i: min(i + batch_size, num_examples)])
        yield nd.take(features, j), nd.take(labels, j)


# Implementing softmax
def softmax(X):
    X_exp = X.exp()
    partition = X_exp.sum(axis=1, keepdims=True)
    return X_exp / partition  # broadcasting


# Defining the loss function
def cross_entropy(y_hat, y):
    return - nd.pick(y_hat, y).log()


# The optimization algorithm
def sgd(params, lr, batch_size):
    for param in params:
        param[:] = param - lr * param.grad / batch_size


def accuracy(y_hat, y):
    return (y_hat.argmax(axis=1) == y.astype('float32')).mean().asscalar()


def evaluate_accuracy(data_iter, net):
    acc_sum, n = 0.0, 0
    for X, y in data_iter:
        y = y.astype('float32')
        acc_sum += (net(X).argmax(axis=1) == y).sum().asscalar()
        n += y.size
    return acc_sum / n


def main(num_epochs=10, lr=0.1, batch_size=256, seed=42):
    ferrograd.random.seed(seed)
    random.seed(seed)

    centers = nd.random.normal(scale=CENTER_SCALE, shape=(NUM_OUTPUTS, NUM_INPUTS))
    train_features, train_labels = make_blobs(centers, 3000)
    test_features, test_labels = make_blobs(centers, 1000)

    # Initializing model parameters
    W = nd.random.normal(scale=0.01, shape=(NUM_INPUTS, NUM_OUTPUTS))
    b = nd.zeros(NUM_OUTPUTS)
    W.attach_grad()
    b.attach_grad()

    # The model
    def net(X):
        return softmax(nd.dot(X.reshape((-1, NUM_INPUTS)), W) + b)

    # Training the model
    history = []
    for epoch in range(num_epochs):
        train_l_sum, train_acc_sum, n = 0.0, 0.0, 0
        for X, y in data_iter(batch_size, train_features, train_labels):
            with autograd.record():
                y_hat = net(X)
                l = cross_entropy(y_hat, y).sum()
            l.backward()
            sgd([W, b], lr, batch_size)
            y = y.astype('float32')
            train_l_sum += l.asscalar()
            train_acc_sum += (y_hat.argmax(axis=1) == y).sum().asscalar()
            n += y.size
        test_acc = evaluate_accuracy(
            data_iter(batch_size, test_features, test_labels, shuffle=False), net)
        history.append((train_l_sum / n, train_acc_sum / n, test_acc))
        print("epoch %d, loss %.4f, train acc %.3f, test acc %.3f"
              % (epoch + 1, train_l_sum / n, train_acc_sum / n, test_acc))

    train_acc = evaluate_accuracy(
        data_iter(batch_size, train_features, train_labels, shuffle=False), net)
    test_acc = evaluate_accuracy(
        data_iter(batch_size, test_features, test_labels, shuffle=False), net)
    print("final train accuracy %.3f, test accuracy %.3f" % (train_acc, test_acc))

    # Prediction: the first few test examples
    X, y = next(data_iter(8, test_features, test_labels, shuffle=False))
    print("labels:     ", y.asnumpy().astype(int).tolist())
    print("predictions:", net(X).argmax(axis=1).asnumpy().astype(int).tolist())
    return {"history": history, "final_loss": float(history[-1][0]),
            "train_acc": float(train_acc), "test_acc": float(test_acc)}


if __name__ == "__main__":
    main()
