"""``gluon.Trainer``: applies an optimizer to a set of Parameters (MXNet 1.x semantics).

``step(batch_size)`` rescales gradients by ``1 / batch_size`` and updates every Parameter in
place. There is one device, so ``kvstore`` is accepted and ignored and ``allreduce_grads`` has
nothing to reduce.
"""

from .. import optimizer as opt
from ..base import InvalidArgumentError, MXNetError
from ..nd import io as _io
from .. import nd
from .parameter import Parameter, ParameterDict

__all__ = ["Trainer", "StaleGradientError"]


class StaleGradientError(MXNetError, UserWarning):
    """A Parameter's gradient was not updated by backward since the last step. MXNet raises a
    bare UserWarning here; this is both."""


class Trainer:
    """Applies an Optimizer on a set of Parameters. Trainer should be used together with
    autograd.

    Parameters
    ----------
    params : ParameterDict, dict or list of Parameter
        The parameters to optimize.
    optimizer : str or Optimizer
        The optimizer ('sgd', 'adam', ...) or an Optimizer object.
    optimizer_params : dict, optional
        Keyword arguments of the optimizer, e.g. ``{'learning_rate': 0.1}``.
    kvstore : str, optional
        Accepted and ignored (one device).
    compression_params, update_on_kvstore
        Accepted and ignored.
    """

    def __init__(self, params, optimizer, optimizer_params=None, kvstore="device",
                 compression_params=None, update_on_kvstore=None):
        if isinstance(params, (dict, ParameterDict)):
            params = list(params.values())
        if not isinstance(params, (list, tuple)):
            raise InvalidArgumentError(
                "First argument must be a list or dict of Parameters, got %s." % (type(params)))
        if not params:
            raise InvalidArgumentError(
                "Trainer was given no Parameters to optimize (an empty list or dict). Pass "
                "net.collect_params(): net.params holds only the Block's own Parameters, not "
                "its children's.")
        self._params = []
        self._param2idx = {}
        for i, param in enumerate(params):
            if not isinstance(param, Parameter):
                raise InvalidArgumentError(
                    "First argument must be a list or dict of Parameters, got list of %s." % (type(param)))
            if param.name in self._param2idx:
                raise InvalidArgumentError("Parameter '%s' is given to the Trainer twice" % param.name)
            self._param2idx[param.name] = i
            self._params.append(param)
            param._trainer = self
        self._compression_params = compression_params
        self._kvstore_type = kvstore
        optimizer_params = optimizer_params if optimizer_params else {}
        self._scale = float(optimizer_params.get("rescale_grad", 1.0))
        self._init_optimizer(optimizer, optimizer_params)
        # The parameters that take updates (grad_req != 'null'), checked at each step.
        self._updatable = None

    def _init_optimizer(self, optimizer, optimizer_params):
        param_dict = {i: param for i, param in enumerate(self._params)}
        if isinstance(optimizer, opt.Optimizer):
            if optimizer_params:
                raise InvalidArgumentError(
                    "optimizer_params must be None if optimizer is an instance of Optimizer "
                    "instead of str")
            self._optimizer = optimizer
            self._optimizer.param_dict = param_dict
        elif isinstance(optimizer, str):
            self._optimizer = opt.create(optimizer, param_dict=param_dict, **optimizer_params)
        else:
            raise InvalidArgumentError("optimizer must be a name (e.g. 'sgd') or an Optimizer, got %r"
                                       % (optimizer,))
        self._updater = opt.get_updater(self._optimizer)

    @property
    def learning_rate(self):
        """The optimizer's current learning rate."""
        return self._optimizer.learning_rate

    @property
    def optimizer(self):
        return self._optimizer

    def set_learning_rate(self, lr):
        """Sets a new learning rate of the optimizer."""
        self._optimizer.set_learning_rate(lr)

    def step(self, batch_size, ignore_stale_grad=False):
        """Makes one step of parameter update: gradients are divided by ``batch_size``
        (MXNet's ``rescale_grad = 1 / batch_size``), then the optimizer updates each Parameter.

        Parameters
        ----------
        batch_size : int
            Batch size of the data: the gradients are normalized by 1/batch_size.
        ignore_stale_grad : bool, default False
            Skip Parameters whose gradient was not updated by backward since the last step,
            instead of raising.
        """
        self._optimizer.rescale_grad = self._scale / batch_size
        self._update(ignore_stale_grad)

    def allreduce_grads(self):
        """Sums gradients over devices: there is one device, so nothing to do."""

    def update(self, batch_size, ignore_stale_grad=False):
        """Like ``step`` without ``allreduce_grads`` (for gradient manipulation in between)."""
        self._optimizer.rescale_grad = self._scale / batch_size
        self._update(ignore_stale_grad)

    def _update(self, ignore_stale_grad):
        params = self._params
        todo_index, todo_grad, todo_weight = [], [], []
        stale = []
        for i, param in enumerate(params):
            if param._grad_req == "null":
                continue
            data = param._data
            if data is None:
                param.data()  # raises the not-initialized / deferred error naming the parameter
            # MXNet's NDArray._fresh_grad: set by each backward that wrote the gradient.
            if not data._fresh_grad:
                stale.append(param)
                continue
            todo_index.append(i)
            todo_grad.append(data.grad)
            todo_weight.append(data)
        # Checked for every parameter before any is updated: a failed step changes nothing.
        if stale and not ignore_stale_grad:
            param = stale[0]
            raise StaleGradientError(
                "Gradient of Parameter `%s` on context %s has not been updated by backward since "
                "last `step`. This could mean a bug in your model that made it only use a subset "
                "of the Parameters (Blocks) for this iteration. If you are intentionally only "
                "using a subset, call step with ignore_stale_grad=True to suppress this warning "
                "and skip updating of Parameters with stale gradient" % (param.name, "cpu(0)"))
        self._updater(todo_index, todo_grad, todo_weight)
        for data in todo_weight:
            data._fresh_grad = False

    def save_states(self, fname):
        """Saves the optimizer's state (momentum buffers, update counts) in MXNet's NDArray
        file format, names '<index>:<slot>' (not MXNet's pickled layout)."""
        arrays = {}
        for index, state in self._updater.states.items():
            slots = state if isinstance(state, (list, tuple)) else [state]
            for k, value in enumerate(slots):
                if value is not None:
                    arrays["state:%d:%d" % (index, k)] = value
        for index, count in self._optimizer._index_update_count.items():
            arrays["count:%d" % index] = nd.array([count], dtype="int64")
        arrays["num_update"] = nd.array([self._optimizer.num_update], dtype="int64")
        _io.save(fname, arrays)

    def load_states(self, fname):
        """Loads what ``save_states`` wrote."""
        loaded = _io.load(fname)
        if not isinstance(loaded, dict) or "num_update" not in loaded:
            raise InvalidArgumentError("%s is not a Trainer state file written by save_states" % fname)
        states, counts = {}, {}
        for name, value in loaded.items():
            parts = name.split(":")
            if parts[0] == "state":
                states.setdefault(int(parts[1]), {})[int(parts[2])] = value
            elif parts[0] == "count":
                counts[int(parts[1])] = int(value.asscalar())
        new_states = {}
        for index, param in enumerate(self._params):
            if param._data is None:
                continue
            template = self._optimizer.create_state(index, param._data)
            if template is None:
                continue
            slots = list(template) if isinstance(template, (list, tuple)) else [template]
            saved = states.get(index, {})
            for k, slot in enumerate(slots):
                if k in saved:
                    if tuple(saved[k].shape) != tuple(slot.shape):
                        raise InvalidArgumentError(
                            "%s: state %d of Parameter '%s' has shape %s, expected %s"
                            % (fname, k, param.name, tuple(saved[k].shape), tuple(slot.shape)))
                    slot[:] = saved[k]
            new_states[index] = tuple(slots) if isinstance(template, (list, tuple)) else slots[0]
        self._updater.states = new_states
        self._optimizer._index_update_count = counts
        self._optimizer.num_update = int(loaded["num_update"].asscalar())
