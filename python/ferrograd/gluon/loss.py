"""``gluon.loss``: losses as HybridBlocks, one value per example (MXNet 1.x semantics).

Every loss returns the mean over all axes except ``batch_axis``, so ``loss(pred, label)`` has
shape ``(batch_size,)``. ``weight`` (a number) scales the loss; ``sample_weight`` (an array
broadcastable to the loss) scales it per element.
"""

import numbers

from .. import nd
from ..base import ArgumentTypeError, InvalidArgumentError
from .block import HybridBlock

__all__ = ["Loss", "L2Loss", "L1Loss", "SoftmaxCrossEntropyLoss", "SoftmaxCELoss",
           "SigmoidBinaryCrossEntropyLoss", "SigmoidBCELoss", "HuberLoss", "HingeLoss",
           "SquaredHingeLoss", "LogisticLoss", "KLDivLoss"]


def _apply_weighting(F, loss, weight=None, sample_weight=None):
    """loss * sample_weight (broadcast) * weight (a number)."""
    if sample_weight is not None:
        loss = F.broadcast_mul(loss, sample_weight)
    if weight is not None:
        if not isinstance(weight, numbers.Number):
            raise ArgumentTypeError("weight must be a number, got %s" % type(weight).__name__)
        loss = loss * weight
    return loss


def _reshape_like(x, y):
    """``x`` reshaped to ``y``'s shape (a label given as (n,) for predictions of (n, 1))."""
    if x.shape == y.shape:
        return x
    if x.size != y.size:
        raise InvalidArgumentError(
            "label of shape %s cannot be reshaped like the prediction of shape %s (%d vs %d elements)"
            % (tuple(x.shape), tuple(y.shape), x.size, y.size))
    return x.reshape(y.shape)


def _batch_mean(F, loss, batch_axis):
    if loss.ndim <= 1:
        return loss  # nothing but the batch axis
    return F.mean(loss, axis=batch_axis, exclude=True)


class Loss(HybridBlock):
    """Base class for losses.

    Parameters
    ----------
    weight : float or None
        Global scalar weight for the loss.
    batch_axis : int, default 0
        The axis that holds the examples; the loss is averaged over all others.
    """

    def __init__(self, weight, batch_axis, **kwargs):
        super().__init__(**kwargs)
        self._weight = weight
        self._batch_axis = batch_axis

    def __repr__(self):
        return "{name}(batch_axis={_batch_axis}, w={_weight})".format(
            name=self.__class__.__name__, _batch_axis=self._batch_axis, _weight=self._weight)

    def forward(self, pred, label, *args):
        return self.hybrid_forward(nd, pred, label, *args)

    def hybrid_forward(self, F, x, *args, **kwargs):
        raise NotImplementedError("%s must define hybrid_forward()" % type(self).__name__)


class L2Loss(Loss):
    r"""Half the squared error: :math:`L = \frac{1}{2} \sum_i \vert {label}_i - {pred}_i \vert^2`
    (averaged over the non-batch axes).

    Parameters
    ----------
    weight : float, default 1.0
    batch_axis : int, default 0
    """

    def __init__(self, weight=1.0, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        label = _reshape_like(label, pred)
        loss = F.square(label - pred)
        loss = _apply_weighting(F, loss, self._weight / 2, sample_weight)
        return _batch_mean(F, loss, self._batch_axis)


class L1Loss(Loss):
    r"""Absolute error: :math:`L = \sum_i \vert {label}_i - {pred}_i \vert`."""

    def __init__(self, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        label = _reshape_like(label, pred)
        loss = F.abs(label - pred)
        loss = _apply_weighting(F, loss, self._weight, sample_weight)
        return _batch_mean(F, loss, self._batch_axis)


class SoftmaxCrossEntropyLoss(Loss):
    r"""Softmax followed by cross-entropy:
    :math:`L = -\sum_i \log p_{i, {label}_i}` with :math:`p = softmax(pred)`.

    Parameters
    ----------
    axis : int, default -1
        The axis of the classes.
    sparse_label : bool, default True
        Labels are class indices (True) or probability distributions like ``pred`` (False).
    from_logits : bool, default False
        ``pred`` already holds log-probabilities (no log_softmax is applied).
    weight : float, optional
    batch_axis : int, default 0
    """

    def __init__(self, axis=-1, sparse_label=True, from_logits=False, weight=None, batch_axis=0,
                 **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._axis = axis
        self._sparse_label = sparse_label
        self._from_logits = from_logits

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        if not self._from_logits:
            pred = F.log_softmax(pred, axis=self._axis)
        if self._sparse_label:
            loss = -F.pick(pred, label, axis=self._axis, keepdims=True)
        else:
            label = _reshape_like(label, pred)
            loss = -F.sum(pred * label, axis=self._axis, keepdims=True)
        loss = _apply_weighting(F, loss, self._weight, sample_weight)
        return _batch_mean(F, loss, self._batch_axis)


SoftmaxCELoss = SoftmaxCrossEntropyLoss


class SigmoidBinaryCrossEntropyLoss(Loss):
    r"""Binary cross-entropy of ``sigmoid(pred)`` against labels in [0, 1], computed stably:
    :math:`\max(x, 0) - x z + \log(1 + e^{-|x|})`.

    Parameters
    ----------
    from_sigmoid : bool, default False
        ``pred`` is already a probability (the sigmoid was applied).
    weight : float, optional
    batch_axis : int, default 0

    ``forward(pred, label, sample_weight=None, pos_weight=None)``: ``pos_weight`` scales the
    loss of positive labels.
    """

    def __init__(self, from_sigmoid=False, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._from_sigmoid = from_sigmoid

    def hybrid_forward(self, F, pred, label, sample_weight=None, pos_weight=None):
        label = _reshape_like(label, pred)
        if not self._from_sigmoid:
            # log(1 + exp(-|x|)) + max(x, 0) = softplus(x) without overflow.
            softplus_neg_abs = F.log1p(F.exp(-F.abs(pred)))
            if pos_weight is None:
                loss = F.relu(pred) - pred * label + softplus_neg_abs
            else:
                log_weight = 1 + F.broadcast_mul(pos_weight - 1, label)
                loss = pred - pred * label + log_weight * (softplus_neg_abs + F.relu(-pred))
        else:
            eps = 1e-12
            if pos_weight is None:
                loss = -(F.log(pred + eps) * label + F.log(1. - pred + eps) * (1. - label))
            else:
                loss = -(F.broadcast_mul(F.log(pred + eps) * label, pos_weight)
                         + F.log(1. - pred + eps) * (1. - label))
        loss = _apply_weighting(F, loss, self._weight, sample_weight)
        return _batch_mean(F, loss, self._batch_axis)


SigmoidBCELoss = SigmoidBinaryCrossEntropyLoss


class HuberLoss(Loss):
    r"""Smoothed L1: :math:`\frac{1}{2\rho}(label - pred)^2` where the error is at most
    :math:`\rho`, :math:`|label - pred| - \frac{\rho}{2}` beyond.

    Parameters
    ----------
    rho : float, default 1
    weight : float, optional
    batch_axis : int, default 0
    """

    def __init__(self, rho=1, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._rho = rho

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        label = _reshape_like(label, pred)
        err = F.abs(label - pred)
        loss = F.where(err > self._rho, err - 0.5 * self._rho, (0.5 / self._rho) * F.square(err))
        loss = _apply_weighting(F, loss, self._weight, sample_weight)
        return _batch_mean(F, loss, self._batch_axis)


class HingeLoss(Loss):
    r"""Hinge loss for labels in {-1, 1}: :math:`\max(0, margin - pred \cdot label)`."""

    def __init__(self, margin=1, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._margin = margin

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        label = _reshape_like(label, pred)
        loss = F.relu(self._margin - pred * label)
        loss = _apply_weighting(F, loss, self._weight, sample_weight)
        return _batch_mean(F, loss, self._batch_axis)


class SquaredHingeLoss(Loss):
    r"""Squared hinge loss: :math:`\max(0, margin - pred \cdot label)^2`."""

    def __init__(self, margin=1, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._margin = margin

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        label = _reshape_like(label, pred)
        loss = F.square(F.relu(self._margin - pred * label))
        loss = _apply_weighting(F, loss, self._weight, sample_weight)
        return _batch_mean(F, loss, self._batch_axis)


class LogisticLoss(Loss):
    r"""Logistic loss: :math:`\log(1 + e^{-pred \cdot label})` for labels in {-1, 1}
    (``label_format='signed'``) or {0, 1} (``'binary'``)."""

    def __init__(self, weight=None, batch_axis=0, label_format="signed", **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        if label_format not in ("signed", "binary"):
            raise InvalidArgumentError("label_format can only be signed or binary, received %s." % label_format)
        self._label_format = label_format

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        label = _reshape_like(label, pred)
        if self._label_format == "signed":
            label = (label + 1.0) / 2.0
        loss = F.relu(pred) - pred * label + F.log1p(F.exp(-F.abs(pred)))
        loss = _apply_weighting(F, loss, self._weight, sample_weight)
        return _batch_mean(F, loss, self._batch_axis)


class KLDivLoss(Loss):
    r"""Kullback-Leibler divergence :math:`\sum label (\log label - pred)`; ``pred`` holds
    log-probabilities when ``from_logits`` (the default), else scores that get a log_softmax."""

    def __init__(self, from_logits=True, axis=-1, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._from_logits = from_logits
        self._axis = axis

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        if not self._from_logits:
            pred = F.log_softmax(pred, axis=self._axis)
        loss = label * (F.log(label + 1e-12) - pred)
        loss = _apply_weighting(F, loss, self._weight, sample_weight)
        return _batch_mean(F, loss, self._batch_axis)
