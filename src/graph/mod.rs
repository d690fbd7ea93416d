//! The graph: the tape of recorded ops, the `Tensor` that ops consume and produce (a value
//! plus its place on the tape), the op contract (`Op`, `Ctx`, `Save`) and `record`.
//!
//! These pieces refer to each other (a tensor holds a tape handle, the tape holds what ops
//! saved, an op's rule reads and returns tensors), so they live in this one file; what does
//! not need the others sits beside it: `arena` (the node store), `mode` (recording flags),
//! `variable` (gradient destinations). Backward itself is a layer above the ops
//! (`crate::backward`), since it sums gradients with them.
//!
//! One global tape behind a mutex: NDArrays can be freed on any Python thread, and the lock
//! is uncontended in practice (taken once per recorded op and once per dropped handle).

pub mod arena;
pub mod mode;
pub mod variable;

use crate::dtype::{Buffer, DType, Element};
use crate::error::{Error, Result};
use crate::shape::Shape;
use crate::value::Value;
use arena::{Arena, Link};
use mode::is_recording;
use parking_lot::Mutex;
use smallvec::SmallVec;
use std::sync::Arc;
use variable::GradSlot;

// ---------------------------------------------------------------------------------------------
// The tape and its handles.

pub(crate) enum NodeKind {
    /// A variable: the gradient's destination.
    Leaf(Arc<GradSlot>),
    /// A recorded op; `None` once backward has freed what it saved.
    Op(Option<Arc<Saved>>),
}

impl NodeKind {
    /// Whether dropping this kind may run Python code (an op with state can own Python
    /// objects, a variable's slot can hold the last reference to a storage a Python array
    /// shares): such kinds are dropped after the tape's lock is released, since a finaliser
    /// can drop arrays, which take the lock again.
    fn may_own_python(&self) -> bool {
        match self {
            NodeKind::Leaf(_) => true,
            NodeKind::Op(None) => false,
            NodeKind::Op(Some(saved)) => matches!(saved.op, OpRef::Shared(_)),
        }
    }
}

pub(crate) type Tape = Arena<NodeKind>;

pub(crate) static TAPE: Mutex<Tape> = Mutex::new(Arena::new());

/// A counted handle to one output of a node, held by tensors and arrays. Cloning shares one
/// tape reference through an `Arc` (no lock on the hot path); the tape reference is released
/// when the last clone drops.
#[derive(Clone, Debug)]
pub struct Entry(Arc<Handle>);

#[derive(Debug)]
struct Handle(Link);

impl Entry {
    /// Wraps a tape reference the caller has already counted.
    fn counted(l: Link) -> Entry {
        Entry(Arc::new(Handle(l)))
    }

    /// A new counted handle for a link the caller knows is live.
    pub(crate) fn new(tape: &mut Tape, l: Link) -> Entry {
        tape.incref(l);
        Entry::counted(l)
    }

    pub(crate) fn link(&self) -> Link {
        self.0 .0
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Entry) -> bool {
        self.link() == other.link()
    }
}
impl Eq for Entry {}

impl Drop for Handle {
    fn drop(&mut self) {
        let garbage = TAPE.lock().decref(self.0, NodeKind::may_own_python);
        // Dropped here, after the lock is released (see `NodeKind::may_own_python`).
        drop(garbage);
    }
}

/// Number of nodes alive on the tape (for tests of reclamation).
pub fn live_nodes() -> usize {
    TAPE.lock().live()
}

/// Makes a new leaf node for a variable whose gradient lands in `slot`.
pub fn mark_variable(slot: Arc<GradSlot>) -> Entry {
    let link = TAPE
        .lock()
        .push("variable", NodeKind::Leaf(slot), SmallVec::new(), 1);
    Entry::counted(link)
}

// ---------------------------------------------------------------------------------------------
// Tensor: a value and its place in the graph.

/// What ops consume and produce: an immutable `Value` and, when it takes part in a recorded
/// graph, the tape entry that produced it. Reads of the value go through `Deref`.
#[derive(Clone)]
pub struct Tensor {
    value: Value,
    entry: Option<Entry>,
}

impl std::ops::Deref for Tensor {
    type Target = Value;
    fn deref(&self) -> &Value {
        &self.value
    }
}

impl From<Value> for Tensor {
    fn from(value: Value) -> Tensor {
        Tensor { value, entry: None }
    }
}

impl Tensor {
    /// A tensor owning `data`; `data.len()` must equal the product of `shape`.
    pub fn from_vec<T: Element>(data: Vec<T>, shape: Shape) -> Tensor {
        Value::from_vec(data, shape).into()
    }

    /// A window of `numel(shape)` elements of a shared buffer, starting at `offset`.
    pub fn from_shared(data: Arc<Buffer>, offset: usize, shape: Shape) -> Tensor {
        Value::from_shared(data, offset, shape).into()
    }

    pub fn full<T: Element>(shape: Shape, value: T) -> Tensor {
        Value::full(shape, value).into()
    }

    /// `value` converted to `dtype`, broadcast over `shape`.
    pub fn filled(shape: Shape, dtype: DType, value: f64) -> Tensor {
        Value::filled(shape, dtype, value).into()
    }

    pub fn value(&self) -> &Value {
        &self.value
    }

    pub(crate) fn value_mut(&mut self) -> &mut Value {
        &mut self.value
    }

    pub fn into_value(self) -> Value {
        self.value
    }

    pub fn entry(&self) -> Option<&Entry> {
        self.entry.as_ref()
    }

    pub fn requires_grad(&self) -> bool {
        self.entry.is_some()
    }

    /// The same value, cut from the graph.
    pub fn detach(&self) -> Tensor {
        self.value.clone().into()
    }

    /// The value and graph entry, handed over without clones.
    pub(crate) fn into_parts(self) -> (Value, Option<Entry>) {
        (self.value, self.entry)
    }

    pub(crate) fn set_entry(&mut self, entry: Option<Entry>) {
        self.entry = entry;
    }

    pub(crate) fn with_entry(mut self, entry: Option<Entry>) -> Tensor {
        self.entry = entry;
        self
    }

    /// Same data read with another shape of the same size (no copy, no graph).
    pub(crate) fn reshaped_value(&self, shape: Shape) -> Tensor {
        self.value.reshaped(shape).into()
    }

    /// A contiguous sub-range of the flat data (no copy, no graph).
    pub(crate) fn window_value(&self, start: usize, shape: Shape) -> Tensor {
        self.value.window(start, shape).into()
    }
}

impl std::fmt::Debug for Tensor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Tensor({:?}, linked: {})",
            self.value,
            self.entry.is_some()
        )
    }
}

// ---------------------------------------------------------------------------------------------
// The op contract.

pub type Grads = SmallVec<[Option<Tensor>; 2]>;

/// An op's backward rule. Implementations hold only parameters (axes, flags): values they need
/// are saved by `record` and handed back through `Ctx`, with their graph links restored when
/// the backward pass is itself recorded.
pub trait Op: Send + Sync + 'static {
    fn name(&self) -> &'static str;
    /// Gradients of the inputs (`None` where `ctx.needs(i)` is false or the input has none),
    /// given the gradients of the outputs.
    fn backward(&self, ctx: &Ctx, grads: &[Tensor]) -> Result<Grads>;
}

/// How the tape holds an op's rule. Most ops carry no parameters (zero-sized types): those are
/// referenced statically, so recording them allocates nothing and cloning is a copy.
#[derive(Clone)]
pub(crate) enum OpRef {
    Static(&'static dyn Op),
    Shared(Arc<dyn Op>),
}

impl OpRef {
    pub fn new<O: Op>(op: O) -> OpRef {
        if std::mem::size_of::<O>() == 0 {
            // Leaking a zero-sized value allocates and loses nothing.
            OpRef::Static(Box::leak(Box::new(op)))
        } else {
            OpRef::Shared(Arc::new(op))
        }
    }
}

impl std::ops::Deref for OpRef {
    type Target = dyn Op;
    fn deref(&self) -> &(dyn Op + 'static) {
        match self {
            OpRef::Static(op) => *op,
            OpRef::Shared(op) => op.as_ref(),
        }
    }
}

/// Which values `record` keeps for backward: a bit per input, and all outputs or none.
#[derive(Clone, Copy)]
pub struct Save {
    pub inputs: u8,
    pub outputs: bool,
}

impl Save {
    pub const NOTHING: Save = Save {
        inputs: 0,
        outputs: false,
    };
    pub const INPUTS: Save = Save {
        inputs: 0xff,
        outputs: false,
    };
    pub const OUTPUTS: Save = Save {
        inputs: 0,
        outputs: true,
    };
    pub const fn input(i: usize) -> Save {
        Save {
            inputs: 1 << i,
            outputs: false,
        }
    }

    fn keeps_input(self, i: usize) -> bool {
        i < 8 && self.inputs & (1 << i) != 0
    }
}

/// One input or output of a recorded op as its backward sees it: the value itself when the
/// rule reads it, otherwise only its shape and dtype (to shape gradients and zero fills).
pub(crate) enum Kept {
    Value(Tensor),
    Meta { shape: Shape, dtype: DType },
}

impl Kept {
    fn new(t: &Tensor, keep_value: bool) -> Kept {
        if keep_value {
            Kept::Value(t.detach())
        } else {
            Kept::Meta {
                shape: t.shape_vec(),
                dtype: t.dtype(),
            }
        }
    }

    pub fn value(&self) -> Option<&Tensor> {
        match self {
            Kept::Value(t) => Some(t),
            Kept::Meta { .. } => None,
        }
    }

    pub fn shape(&self) -> &[usize] {
        match self {
            Kept::Value(t) => t.shape(),
            Kept::Meta { shape, .. } => shape,
        }
    }

    pub fn dtype(&self) -> DType {
        match self {
            Kept::Value(t) => t.dtype(),
            Kept::Meta { dtype, .. } => *dtype,
        }
    }
}

/// What a recorded op keeps for its backward rule. It sits behind one `Arc`, so a backward
/// pass takes it from the tape with a reference count instead of copying values and shapes,
/// and freeing a graph is dropping that reference.
pub(crate) struct Saved {
    pub op: OpRef,
    pub inputs: SmallVec<[Kept; 2]>,
    pub outputs: SmallVec<[Kept; 1]>,
}

/// The saved values of one node with their graph links restored, so that differentiating the
/// backward pass flows on into the forward graph (create_graph).
pub(crate) struct Linked {
    inputs: SmallVec<[Option<Tensor>; 2]>,
    outputs: SmallVec<[Option<Tensor>; 1]>,
}

impl Linked {
    /// The values node `l` saved, with new handles to the nodes they came from.
    pub fn new(tape: &mut Tape, saved: &Saved, input_links: &[Option<Link>], l: Link) -> Linked {
        Linked {
            inputs: saved
                .inputs
                .iter()
                .zip(input_links)
                .map(|(kept, li)| {
                    let v = kept.value()?.clone();
                    Some(v.with_entry(li.map(|li| Entry::new(tape, li))))
                })
                .collect(),
            outputs: saved
                .outputs
                .iter()
                .enumerate()
                .map(|(j, kept)| {
                    let v = kept.value()?.clone();
                    let out = Link { out: j as u32, ..l };
                    Some(v.with_entry(Some(Entry::new(tape, out))))
                })
                .collect(),
        }
    }
}

/// Where the gradient of one input of a node goes in a backward pass: the plan position of
/// the input's node and which of its outputs the input is; `None` where no gradient is wanted.
pub type InputDest = Option<(u32, u32)>;

/// What a backward rule can see of its node: a view of what `record` saved, borrowed from the
/// backward pass's plan.
pub struct Ctx<'a> {
    saved: &'a Saved,
    /// Under create_graph: the saved values again, carrying their graph links.
    linked: Option<&'a Linked>,
    dests: &'a [InputDest],
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(
        saved: &'a Saved,
        linked: Option<&'a Linked>,
        dests: &'a [InputDest],
    ) -> Ctx<'a> {
        Ctx {
            saved,
            linked,
            dests,
        }
    }

    pub fn input(&self, i: usize) -> Result<&Tensor> {
        let value = match self.linked {
            Some(l) => l.inputs.get(i).and_then(Option::as_ref),
            None => self.saved.inputs.get(i).and_then(Kept::value),
        };
        value.ok_or_else(|| self.not_saved("input", i))
    }

    pub fn output(&self, j: usize) -> Result<&Tensor> {
        let value = match self.linked {
            Some(l) => l.outputs.get(j).and_then(Option::as_ref),
            None => self.saved.outputs.get(j).and_then(Kept::value),
        };
        value.ok_or_else(|| self.not_saved("output", j))
    }

    fn not_saved(&self, what: &str, i: usize) -> Error {
        Error::Graph(format!(
            "internal error: {} did not save {} {} for backward",
            self.saved.op.name(),
            what,
            i
        ))
    }

    pub fn input_shape(&self, i: usize) -> &[usize] {
        self.saved.inputs.get(i).map_or(&[], Kept::shape)
    }

    /// Whether input `i`'s gradient is wanted (rules skip the work for the others).
    pub fn needs(&self, i: usize) -> bool {
        self.dests.get(i).is_some_and(Option::is_some)
    }

    pub fn n_inputs(&self) -> usize {
        self.saved.inputs.len()
    }
}

/// Puts a node on the tape for `outputs` when recording and some input needs a gradient.
pub fn record(op: impl Op, inputs: &[&Tensor], save: Save, outputs: &mut [Tensor]) {
    if !is_recording() || !inputs.iter().any(|t| t.requires_grad()) {
        return;
    }
    let saved = Saved {
        op: OpRef::new(op),
        inputs: inputs
            .iter()
            .enumerate()
            .map(|(i, t)| Kept::new(t, save.keeps_input(i)))
            .collect(),
        outputs: outputs.iter().map(|t| Kept::new(t, save.outputs)).collect(),
    };
    let links = inputs.iter().map(|t| t.entry().map(Entry::link)).collect();
    let name = saved.op.name();
    let n_out = outputs.len() as u32;
    let first = TAPE
        .lock()
        .push(name, NodeKind::Op(Some(Arc::new(saved))), links, n_out);
    for (out, t) in outputs.iter_mut().enumerate() {
        t.set_entry(Some(Entry::counted(Link {
            out: out as u32,
            ..first
        })));
    }
}

/// Records a one-output op and returns its output.
pub fn record1(op: impl Op, inputs: &[&Tensor], save: Save, output: Tensor) -> Tensor {
    let mut outs = [output];
    record(op, inputs, save, &mut outs);
    let [out] = outs;
    out
}
