"""A multilayer perceptron with dropout, from scratch (D2L, MXNet edition, "Implementation of
Multilayer Perceptron from Scratch" and "Dropout from Scratch"), on ferrograd, with a synthetic
data set instead of Fashion-MNIST (no downloads).

Data: 10 classes in 20 dimensions, each class the union of 3 Gaussian blobs (30 blobs in all,
centres drawn from N(0, CENTER_SCALE^2) per coordinate, N(0, 1) noise around them): the
classes are well separated but *not* linearly separable, which is what the hidden layers are
for. 3000 training and 1000 test examples.

The model is the book's: two hidden layers of 256 ReLU units, dropout with probability 0.2
after the first and 0.5 after the second, written out as in the book::

    def dropout(X, drop_prob):
        keep_prob = 1 - drop_prob
        mask = nd.random.uniform(0, 1, X.shape) < keep_prob
        return mask * X / keep_prob

and applied only ``if autograd.is_training()`` -- i.e. inside ``autograd.record()`` (which
switches to training mode); evaluation outside it runs in prediction mode, with no dropout.
Softmax cross-entropy is written from scratch too (log-sum-exp with the row maximum
subtracted, minus ``nd.pick`` of the true class's score). Parameters are made with
``nd.random.normal`` / ``nd.zeros`` and ``attach_grad()``, minibatches come from a shuffling
``data_iter``, and ``sgd`` updates ``param[:]``. 15 epochs, batch size 64, learning rate 0.5.

Prints per-epoch loss, training and test accuracy, a check that dropout is on in training mode
and off in prediction mode, the accuracy of a linear (softmax regression) baseline on the same
data, and the final accuracies (prediction mode). Expected (and asserted by
tests/test_examples.py): the final mean training loss is below 0.3, the final training accuracy
above 0.9 and the test accuracy above 0.85 (the seeded run gives about loss 0.13, train 0.99,
test 0.94, against about 0.75 for the linear baseline). Seeded with ferrograd.random.seed and random.seed,
so reproducible.

Run:  python examples/mlp_dropout.py
"""

import random

import ferrograd
from ferrograd import autograd, nd

LOSS_BOUND = 0.3
TRAIN_ACC_BOUND = 0.9
TEST_ACC_BOUND = 0.85

NUM_INPUTS = 20
NUM_OUTPUTS = 10
BLOBS_PER_CLASS = 3
CENTER_SCALE = 1.2
NUM_HIDDENS1, NUM_HIDDENS2 = 256, 256
DROP_PROB1, DROP_PROB2 = 0.2, 0.5


def make_data(centers, num_examples):
    """Example i comes from blob i % num_blobs, whose class is blob % NUM_OUTPUTS."""
    num_blobs, num_inputs = centers.shape
    blob = nd.modulo(nd.arange(num_examples), num_blobs)
    labels = nd.modulo(blob, NUM_OUTPUTS)
    features = nd.take(centers, blob) + nd.random.normal(shape=(num_examples, num_inputs))
    return features, labels


def data_iter(batch_size, features, labels, shuffle=True):
    num_examples = len(features)
    indices = list(range(num_examples))
    if shuffle:
        random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        j = nd.array(indices[i: min(i + batch_size, num_examples)])
        yield features.take(j), labels.take(j)


# Dropout from scratch
def dropout(X, drop_prob):
    assert 0 <= drop_prob <= 1
    keep_prob = 1 - drop_prob
    # In this case, all elements are dropped out
    if keep_prob == 0:
        return X.zeros_like()
    mask = nd.random.uniform(0, 1, X.shape) < keep_prob
    return mask * X / keep_prob


# Activation function
def relu(X):
    return nd.maximum(X, 0)


# Softmax cross-entropy from scratch, numerically stable
def softmax_cross_entropy(y_hat, y):
    m = y_hat.max(axis=1, keepdims=True)
    log_partition = ((y_hat - m).exp().sum(axis=1, keepdims=True)).log() + m
    return log_partition.reshape((-1,)) - nd.pick(y_hat, y)


def sgd(params, lr, batch_size):
    for param in params:
        param[:] = param - lr * param.grad / batch_size


def evaluate_accuracy(data_iter, net):
    acc_sum, n = 0.0, 0
    for X, y in data_iter:
        y = y.astype('float32')
        acc_sum += (net(X).argmax(axis=1) == y).sum().asscalar()
        n += y.size
    return float(acc_sum / n)


def train(net, params, train_data, test_data, num_epochs, lr, batch_size, verbose=True):
    history = []
    for epoch in range(num_epochs):
        train_l_sum, train_acc_sum, n = 0.0, 0.0, 0
        for X, y in data_iter(batch_size, *train_data):
            with autograd.record():  # training mode: dropout is on
                y_hat = net(X)
                l = softmax_cross_entropy(y_hat, y).sum()
            l.backward()
            sgd(params, lr, batch_size)
            y = y.astype('float32')
            train_l_sum += l.asscalar()
            train_acc_sum += (y_hat.argmax(axis=1) == y).sum().asscalar()
            n += y.size
        # outside record(): prediction mode, dropout is off
        test_acc = evaluate_accuracy(data_iter(256, *test_data, shuffle=False), net)
        history.append((float(train_l_sum / n), float(train_acc_sum / n), test_acc))
        if verbose:
            print("epoch %d, loss %.4f, train acc %.3f, test acc %.3f"
                  % (epoch + 1, train_l_sum / n, train_acc_sum / n, test_acc))
    return history


def linear_baseline(train_data, test_data, num_epochs, lr, batch_size):
    """Softmax regression on the same data: how far a model without hidden layers gets."""
    W = nd.random.normal(scale=0.01, shape=(NUM_INPUTS, NUM_OUTPUTS))
    b = nd.zeros(NUM_OUTPUTS)
    W.attach_grad()
    b.attach_grad()

    def net(X):
        return nd.dot(X, W) + b

    train(net, [W, b], train_data, test_data, num_epochs, lr, batch_size, verbose=False)
    return (evaluate_accuracy(data_iter(256, *train_data, shuffle=False), net),
            evaluate_accuracy(data_iter(256, *test_data, shuffle=False), net))


def main(num_epochs=15, lr=0.5, batch_size=64, seed=42):
    ferrograd.random.seed(seed)
    random.seed(seed)

    centers = nd.random.normal(scale=CENTER_SCALE,
                               shape=(NUM_OUTPUTS * BLOBS_PER_CLASS, NUM_INPUTS))
    train_data = make_data(centers, 3000)
    test_data = make_data(centers, 1000)

    # Initializing model parameters
    W1 = nd.random.normal(scale=0.01, shape=(NUM_INPUTS, NUM_HIDDENS1))
    b1 = nd.zeros(NUM_HIDDENS1)
    W2 = nd.random.normal(scale=0.01, shape=(NUM_HIDDENS1, NUM_HIDDENS2))
    b2 = nd.zeros(NUM_HIDDENS2)
    W3 = nd.random.normal(scale=0.01, shape=(NUM_HIDDENS2, NUM_OUTPUTS))
    b3 = nd.zeros(NUM_OUTPUTS)
    params = [W1, b1, W2, b2, W3, b3]
    for param in params:
        param.attach_grad()

    # The model: dropout only in training mode
    def net(X):
        X = X.reshape((-1, NUM_INPUTS))
        H1 = relu(nd.dot(X, W1) + b1)
        if autograd.is_training():  # use dropout only when training the model
            H1 = dropout(H1, DROP_PROB1)  # add a dropout layer after the first hidden layer
        H2 = relu(nd.dot(H1, W2) + b2)
        if autograd.is_training():
            H2 = dropout(H2, DROP_PROB2)  # add a dropout layer after the second hidden layer
        return nd.dot(H2, W3) + b3

    history = train(net, params, train_data, test_data, num_epochs, lr, batch_size)

    # Dropout is on only in training mode.
    X = train_data[0][:8]
    predict_same = bool((net(X) == net(X)).asnumpy().all())
    with autograd.train_mode():
        train_differ = not bool((net(X) == net(X)).asnumpy().all())
    print("prediction mode: two passes over the same batch agree: %s" % predict_same)
    print("training mode (dropout on): two passes over the same batch differ: %s"
          % train_differ)

    train_acc = evaluate_accuracy(data_iter(256, *train_data, shuffle=False), net)
    test_acc = evaluate_accuracy(data_iter(256, *test_data, shuffle=False), net)
    lin_train, lin_test = linear_baseline(train_data, test_data, num_epochs, 0.1, batch_size)
    print("linear baseline (softmax regression, same data): train acc %.3f, test acc %.3f"
          % (lin_train, lin_test))
    print("final MLP train accuracy %.3f, test accuracy %.3f" % (train_acc, test_acc))
    return {"history": history, "final_loss": history[-1][0], "train_acc": train_acc,
            "test_acc": test_acc, "linear_train_acc": lin_train, "linear_test_acc": lin_test,
            "predict_deterministic": predict_same, "train_stochastic": train_differ}


if __name__ == "__main__":
    main()
