"""A multilayer perceptron trained with gluon on the real Fashion-MNIST (D2L, MXNet edition,
"Concise Implementation of Multilayer Perceptron"), on ferrograd.

The data set is read with ``gluon.data.vision.FashionMNIST`` from
``$MXNET_HOME/datasets/fashion-mnist`` (``MXNET_HOME`` defaults to ``~/.mxnet``, so a copy MXNet
already downloaded is used as it is) and downloaded from MXNet's repository when it is not
there, each file checked against its published SHA-1. Without network and without a local
copy the script says so in one line and exits with status 0.

The model is the book's: ``nn.Dense(256, activation='relu')`` and ``nn.Dense(10)``, weights
drawn from N(0, 0.01^2), softmax cross-entropy, SGD with learning rate 0.5, minibatches of 256
images (``transforms.ToTensor``, shuffled by a ``DataLoader`` with worker threads). Prints the
loss and accuracies of each epoch, the time per epoch and the final test accuracy; on the real
data set 10 epochs reach a test accuracy of about 0.87.

Run:  python examples/fashion_mnist_mlp.py [--epochs 10] [--batch-size 256] [--lr 0.5]
                                          [--num-workers 4]
"""

import argparse
import os
import socket
import sys
import time
import urllib.parse

import numpy as np

import ferrograd
from ferrograd import autograd, nd  # noqa: F401  (nd: the book's imports)
from ferrograd import gluon, init
from ferrograd.gluon import data as gdata, loss as gloss, nn
from ferrograd.gluon.data.vision.datasets import FashionMNIST, _data_dir
from ferrograd.gluon.utils import DownloadError, _get_repo_url

FILES = [FashionMNIST._train_data, FashionMNIST._train_label, FashionMNIST._test_data,
         FashionMNIST._test_label]


def repository_reachable(timeout=5.0):
    """None when a connection to MXNet's repository host can be opened, else the reason."""
    url = urllib.parse.urlsplit(_get_repo_url())
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        with socket.create_connection((url.hostname, port), timeout=timeout):
            return None
    except OSError as e:
        return "%s:%d unreachable (%s)" % (url.hostname, port, e)


def load_data_fashion_mnist(batch_size, num_workers):
    """The training and test DataLoaders, or None and the reason they cannot be had."""
    root = os.path.join(_data_dir(), "datasets", "fashion-mnist")
    have_files = all(os.path.exists(os.path.join(root, name)) for name, _ in FILES)
    if not have_files:
        reason = repository_reachable()
        if reason is not None:
            return None, reason
    try:
        train = gdata.vision.FashionMNIST(train=True)
        test = gdata.vision.FashionMNIST(train=False)
    except DownloadError as e:
        return None, str(e)
    to_tensor = gdata.vision.transforms.ToTensor()
    train_iter = gdata.DataLoader(train.transform_first(to_tensor), batch_size, shuffle=True,
                                  num_workers=num_workers)
    test_iter = gdata.DataLoader(test.transform_first(to_tensor), batch_size,
                                 num_workers=num_workers)
    return (train_iter, test_iter), None


def evaluate_accuracy(data_iter, net):
    acc_sum, n = 0.0, 0
    for X, y in data_iter:
        acc_sum += float((net(X).argmax(axis=1) == y.astype("float32")).sum().asscalar())
        n += y.size
    return acc_sum / n


def main(epochs=10, batch_size=256, lr=0.5, num_workers=4, seed=0):
    """Trains and returns the final metrics, or None when the data set cannot be had."""
    np.random.seed(seed)  # the DataLoader's shuffling
    ferrograd.random.seed(seed)  # the initial weights
    loaders, reason = load_data_fashion_mnist(batch_size, num_workers)
    if loaders is None:
        root = os.path.join(_data_dir(), "datasets", "fashion-mnist")
        print("Fashion-MNIST is not in %s and cannot be downloaded (%s): nothing to train on."
              % (root, reason))
        return None
    train_iter, test_iter = loaders

    net = nn.Sequential()
    net.add(nn.Dense(256, activation="relu"), nn.Dense(10))
    net.initialize(init.Normal(sigma=0.01))
    loss = gloss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), "sgd", {"learning_rate": lr})

    metrics = {}
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        loss_sum, correct, n = 0.0, 0.0, 0
        for X, y in train_iter:
            with autograd.record():
                y_hat = net(X)
                batch_loss = loss(y_hat, y).sum()
            batch_loss.backward()
            trainer.step(batch_size)
            loss_sum += float(batch_loss.asscalar())
            correct += float((y_hat.argmax(axis=1) == y.astype("float32")).sum().asscalar())
            n += y.size
        seconds = time.perf_counter() - start
        test_acc = evaluate_accuracy(test_iter, net)
        metrics = {"loss": loss_sum / n, "train_acc": correct / n, "test_acc": test_acc}
        print("epoch %d, loss %.4f, train acc %.3f, test acc %.3f, %.2f sec"
              % (epoch, metrics["loss"], metrics["train_acc"], test_acc, seconds))
    print("final test accuracy: %.4f" % metrics["test_acc"])
    return metrics


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--lr", type=float, default=0.5)
    parser.add_argument("--num-workers", type=int, default=4)
    return parser.parse_args(argv)


if __name__ == "__main__":
    args = parse_args(sys.argv[1:])
    main(args.epochs, args.batch_size, args.lr, args.num_workers)
