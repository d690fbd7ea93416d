//! Recording state, the op contract, and reverse-mode differentiation over the tape.
//!
//! Every op implements `Op::backward` with ferrograd's own tensor ops. `run_backward` executes
//! those rules with recording switched to `create_graph`: when false the tape does not grow;
//! when true the backward pass is itself recorded, which is all higher-order gradients need.

use crate::array::Storage;
use crate::dtype::DType;
use crate::error::{dtype_err, invalid, shape_err, Error, Result};
use crate::ops;
use crate::shape::{fmt_tuple, Shape};
use crate::tape::{Kept, Link, NodeKind, OpRef, Saved, TAPE};
use crate::tensor::Tensor;
use smallvec::SmallVec;
use std::cell::Cell;
use std::sync::Arc;

// ---------------------------------------------------------------------------------------------
// Recording and training flags (thread-local, as in MXNet).

thread_local! {
    static RECORDING: Cell<bool> = const { Cell::new(false) };
    static TRAINING: Cell<bool> = const { Cell::new(false) };
}

#[inline]
pub fn is_recording() -> bool {
    RECORDING.with(|c| c.get())
}

#[inline]
pub fn is_training() -> bool {
    TRAINING.with(|c| c.get())
}

/// Sets the flag and returns its previous value.
pub fn set_recording(on: bool) -> bool {
    RECORDING.with(|c| c.replace(on))
}

/// Sets the flag and returns its previous value.
pub fn set_training(on: bool) -> bool {
    TRAINING.with(|c| c.replace(on))
}

/// Sets both flags for a scope and restores them when dropped, errors included.
pub struct ModeGuard {
    recording: bool,
    training: bool,
}

impl ModeGuard {
    pub fn new(recording: bool, training: bool) -> ModeGuard {
        ModeGuard {
            recording: set_recording(recording),
            training: set_training(training),
        }
    }
}

impl Drop for ModeGuard {
    fn drop(&mut self) {
        set_recording(self.recording);
        set_training(self.training);
    }
}

// ---------------------------------------------------------------------------------------------
// Variables and their gradient buffers.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GradReq {
    Write,
    Add,
    Null,
}

impl GradReq {
    pub fn parse(s: &str) -> Result<GradReq> {
        match s {
            "write" => Ok(GradReq::Write),
            "add" => Ok(GradReq::Add),
            "null" => Ok(GradReq::Null),
            other => Err(invalid(
                "attach_grad",
                format!("grad_req must be 'write', 'add' or 'null', got '{}'", other),
            )),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            GradReq::Write => "write",
            GradReq::Add => "add",
            GradReq::Null => "null",
        }
    }
}

/// Where a variable's gradient goes: a region of a storage (the array users see as `.grad`),
/// updated in place so every alias of `.grad` sees the new values.
pub struct GradSlot {
    pub storage: Arc<Storage>,
    pub offset: usize,
    pub shape: Shape,
    pub dtype: DType,
    pub req: GradReq,
}

impl GradSlot {
    pub fn new_zeros(shape: Shape, dtype: DType, req: GradReq) -> GradSlot {
        let zeros = Tensor::filled(shape.clone(), dtype, 0.0);
        GradSlot {
            storage: Storage::new(zeros.buffer().clone()),
            offset: 0,
            shape,
            dtype,
            req,
        }
    }

    fn accept(&self, g: &Tensor) -> Result<()> {
        match self.req {
            GradReq::Null => Ok(()),
            GradReq::Write => self.storage.write_region(self.offset, &self.shape, g),
            GradReq::Add => {
                let old =
                    Tensor::from_shared(self.storage.snapshot(), self.offset, self.shape.clone());
                let sum = ops::binary::add(&old, &g.detach())?;
                self.storage.write_region(self.offset, &self.shape, &sum)
            }
        }
    }
}

/// Makes a new leaf node for a variable whose gradient lands in `slot`.
pub fn mark_variable(slot: Arc<GradSlot>) -> Result<crate::tape::Entry> {
    let mut entries = TAPE
        .lock()
        .push("variable", NodeKind::Leaf(slot), SmallVec::new(), 1);
    entries
        .pop()
        .ok_or_else(|| Error::Graph("internal error: a variable node has no output".into()))
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
}

/// What a backward rule can see of its node: a view of what `record` saved, borrowed from the
/// backward pass's plan.
pub struct Ctx<'a> {
    saved: &'a Saved,
    /// Under create_graph: the saved values again, carrying their graph links.
    linked: Option<&'a Linked>,
    /// Plan position of each input's node; `None` where no gradient is wanted.
    input_pos: &'a [Option<(u32, u32)>],
}

/// The saved values of one node with their graph links restored, so that differentiating the
/// backward pass flows on into the forward graph.
struct Linked {
    inputs: SmallVec<[Option<Tensor>; 2]>,
    outputs: SmallVec<[Option<Tensor>; 1]>,
}

impl Ctx<'_> {
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

    pub fn needs(&self, i: usize) -> bool {
        self.input_pos.get(i).is_some_and(Option::is_some)
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
            .map(|(i, t)| Kept::new(t, i < 8 && save.inputs & (1 << i) != 0))
            .collect(),
        outputs: outputs.iter().map(|t| Kept::new(t, save.outputs)).collect(),
    };
    let links = inputs.iter().map(|t| t.entry().map(|e| e.link())).collect();
    let name = saved.op.name();
    let n_out = outputs.len() as u32;
    let entries = TAPE
        .lock()
        .push(name, NodeKind::Op(Some(Arc::new(saved))), links, n_out);
    for (t, e) in outputs.iter_mut().zip(entries) {
        t.set_entry(Some(e));
    }
}

/// Records a one-output op and returns its output.
pub fn record1(op: impl Op, inputs: &[&Tensor], save: Save, output: Tensor) -> Tensor {
    let mut outs = [output];
    record(op, inputs, save, &mut outs);
    let [out] = outs;
    out
}

// ---------------------------------------------------------------------------------------------
// Backward.

/// What one backward call differentiates with respect to.
pub enum Targets<'a> {
    /// Every variable reached (`backward`): gradients land in their slots.
    Variables,
    /// These variables' entries (`grad`): gradients are returned.
    These {
        links: &'a [Link],
        vars: &'a [Tensor],
    },
}

struct Step {
    link: Link,
    saved: Arc<Saved>,
    /// Plan position and output index of each input's node (None: no gradient wanted).
    input_pos: SmallVec<[Option<(u32, u32)>; 2]>,
    linked: Option<Box<Linked>>,
}

enum PlanItem {
    Leaf { slot: Arc<GradSlot>, target: bool },
    Op(Step),
    Skip,
}

fn check_head_grad(head: &Tensor, g: &Tensor) -> Result<Tensor> {
    if g.numel() != head.numel() {
        return Err(shape_err(
            "backward",
            format!(
                "head gradient of shape {} ({} elements) does not match the output of shape {} ({} elements)",
                fmt_tuple(g.shape()),
                g.numel(),
                fmt_tuple(head.shape()),
                head.numel()
            ),
        ));
    }
    if g.dtype() != head.dtype() {
        return Err(dtype_err(
            "backward",
            format!(
                "head gradient is {} but the output is {}; use .astype('{}')",
                g.dtype(),
                head.dtype(),
                head.dtype()
            ),
        ));
    }
    // MXNet reads a head gradient of the right size in row-major order whatever its shape.
    if g.shape() == head.shape() {
        Ok(g.clone())
    } else {
        ops::shape::reshape(g, head.shape_vec())
    }
}

/// Reverse-mode differentiation from `heads`. Returns one gradient per `Targets::These` entry
/// (zeros where a target is not reached), or nothing for `Targets::Variables`, whose gradients
/// are written into their slots. Nothing is written and nothing is freed if any step fails.
pub fn run_backward(
    heads: &[Tensor],
    head_grads: &[Option<Tensor>],
    targets: Targets<'_>,
    retain_graph: bool,
    create_graph: bool,
    train_mode: bool,
) -> Result<Vec<Tensor>> {
    let mut scratch = SCRATCH.with(|s| s.take()).unwrap_or_default();
    let result = run_backward_in(
        &mut scratch,
        heads,
        head_grads,
        targets,
        retain_graph,
        create_graph,
        train_mode,
    );
    scratch.clear();
    if scratch.plan.capacity() <= SCRATCH_KEEP {
        SCRATCH.with(|s| s.set(Some(scratch)));
    }
    result
}

/// The per-node records of a backward pass, kept between calls on a thread: a pass over a
/// long chain would otherwise allocate (and page-fault in) its records afresh every time.
#[derive(Default)]
struct Scratch {
    /// The nodes reached, oldest first (the pass runs it backwards).
    plan: Vec<PlanItem>,
    /// Gradients arriving at each plan node's outputs.
    grads: Vec<SmallVec<[Option<Tensor>; 1]>>,
    /// Planning scratch: (seq, node) of the nodes reached, and whether each one's gradient is
    /// wanted (it is a target or leads to one).
    order: Vec<(u64, Link)>,
    wanted: Vec<bool>,
}

impl Scratch {
    fn clear(&mut self) {
        self.plan.clear();
        self.grads.clear();
        self.order.clear();
        self.wanted.clear();
    }
}

thread_local! {
    static SCRATCH: Cell<Option<Scratch>> = const { Cell::new(None) };
}

/// Plans up to this many nodes keep their memory for the next pass.
const SCRATCH_KEEP: usize = 1 << 14;

fn run_backward_in(
    scratch: &mut Scratch,
    heads: &[Tensor],
    head_grads: &[Option<Tensor>],
    targets: Targets<'_>,
    retain_graph: bool,
    create_graph: bool,
    train_mode: bool,
) -> Result<Vec<Tensor>> {
    if heads.is_empty() {
        return Err(invalid("backward", "no head arrays were given"));
    }
    let mut seeds = Vec::with_capacity(heads.len());
    for (i, h) in heads.iter().enumerate() {
        let Some(e) = h.entry() else {
            return Err(Error::Graph(
                "cannot differentiate: the array was not computed inside autograd.record() from an \
                 array with attach_grad() (or its graph was cut by detach())"
                    .into(),
            ));
        };
        let g = match head_grads.get(i).and_then(|g| g.as_ref()) {
            Some(g) => check_head_grad(h, g)?,
            None => Tensor::filled(h.shape_vec(), h.dtype(), 1.0),
        };
        seeds.push((e.link(), g.detach()));
    }
    let (head_pos, target_pos) = make_plan(scratch, &seeds, &targets, create_graph)?;
    let Scratch { plan, grads, .. } = scratch;
    grads.resize_with(plan.len(), SmallVec::new);
    let _mode = ModeGuard::new(create_graph, train_mode);
    for ((_, g), &(pos, out)) in seeds.iter().zip(&head_pos) {
        accumulate(&mut grads[pos], out, g.clone())?;
    }
    for pos in (0..plan.len()).rev() {
        let PlanItem::Op(step) = &plan[pos] else {
            continue;
        };
        let mut arriving = std::mem::take(&mut grads[pos]);
        if arriving.iter().all(Option::is_none) {
            continue;
        }
        let outs: SmallVec<[Tensor; 1]> = step
            .saved
            .outputs
            .iter()
            .enumerate()
            .map(|(j, kept)| {
                arriving
                    .get_mut(j)
                    .and_then(Option::take)
                    .unwrap_or_else(|| {
                        Tensor::filled(Shape::from_slice(kept.shape()), kept.dtype(), 0.0)
                    })
            })
            .collect();
        let ctx = Ctx {
            saved: &step.saved,
            linked: step.linked.as_deref(),
            input_pos: &step.input_pos,
        };
        let dx = step.saved.op.backward(&ctx, &outs)?;
        for (i, g) in dx.into_iter().enumerate() {
            let (Some(g), Some(&Some((p, o)))) = (g, step.input_pos.get(i)) else {
                continue;
            };
            let want = ctx.input_shape(i);
            if g.shape() != want {
                return Err(Error::Graph(format!(
                    "internal error: the backward of {} gave a gradient of shape {} for an input of shape {}",
                    step.saved.op.name(),
                    fmt_tuple(g.shape()),
                    fmt_tuple(want)
                )));
            }
            accumulate(&mut grads[p as usize], o, g)?;
        }
    }
    drop(_mode);

    let results = match targets {
        Targets::These { links, vars } => links
            .iter()
            .zip(vars)
            .zip(&target_pos)
            .map(|((l, var), pos)| {
                let g = pos.and_then(|p| grads[p].get(l.out as usize).cloned().flatten());
                g.unwrap_or_else(|| Tensor::filled(var.shape_vec(), var.dtype(), 0.0))
            })
            .collect(),
        Targets::Variables => {
            // Validate every write first so that a failure leaves all gradients untouched.
            let mut writes = Vec::new();
            for (pos, item) in plan.iter().enumerate() {
                if let PlanItem::Leaf { slot, target: true } = item {
                    let g = match grads[pos].first_mut().and_then(Option::take) {
                        Some(g) => g,
                        None => Tensor::filled(slot.shape.clone(), slot.dtype, 0.0),
                    };
                    writes.push((slot.clone(), g));
                }
            }
            for (slot, g) in writes {
                slot.accept(&g)?;
            }
            Vec::new()
        }
    };
    if !retain_graph {
        free_steps(plan);
    }
    Ok(results)
}

/// Adds a gradient contribution for output `out` of a node. When the backward is not recorded
/// and the running sum owns its buffer, the sum is updated in place (no new buffer, one memory
/// pass fewer).
fn accumulate(node: &mut SmallVec<[Option<Tensor>; 1]>, out: u32, g: Tensor) -> Result<()> {
    let out = out as usize;
    if node.len() <= out {
        node.resize(out + 1, None);
    }
    let acc = &mut node[out];
    let Some(prev) = acc else {
        *acc = Some(g);
        return Ok(());
    };
    if !is_recording() && prev.shape() == g.shape() {
        let added = match (prev.dtype(), g.dtype()) {
            (DType::F32, DType::F32) => add_in_place::<f32>(prev, &g),
            (DType::F64, DType::F64) => add_in_place::<f64>(prev, &g),
            _ => false,
        };
        if added {
            return Ok(());
        }
    }
    *acc = Some(ops::binary::add(prev, &g)?);
    Ok(())
}

/// `acc += g` when `acc` owns its buffer; false (and nothing done) otherwise.
fn add_in_place<T: crate::dtype::Real>(acc: &mut Tensor, g: &Tensor) -> bool {
    match (acc.unique_data_mut::<T>(), g.data::<T>()) {
        (Some(dst), Ok(src)) => {
            crate::kernels::elementwise::update(dst, src, |a, b| a + b);
            true
        }
        _ => false,
    }
}

/// Walks the graph under the lock and takes what the backward pass needs (a reference to each
/// node's saved record), so that the rules themselves run without holding it (they may record
/// new nodes).
///
/// Fills the caller's empty `scratch.plan`, oldest node first: handles it holds are dropped
/// after the lock is released, since dropping a handle takes the lock.
#[allow(clippy::type_complexity)]
fn make_plan(
    scratch: &mut Scratch,
    seeds: &[(Link, Tensor)],
    targets: &Targets<'_>,
    create_graph: bool,
) -> Result<(Vec<(usize, u32)>, Vec<Option<usize>>)> {
    let Scratch {
        plan,
        order,
        wanted,
        ..
    } = scratch;
    let mut tape = TAPE.lock();
    let epoch = tape.new_epoch();
    let mut stack: Vec<Link> = seeds.iter().map(|(l, _)| *l).collect();
    while let Some(l) = stack.pop() {
        if !tape.visit(l, epoch) {
            continue;
        }
        let node = tape.node(l).ok_or_else(|| {
            Error::Graph("internal error: a graph node vanished while still referenced".into())
        })?;
        order.push((node.seq, Link { out: 0, ..l }));
        stack.extend(node.inputs.iter().flatten().copied());
    }
    // Note: tape order. Inputs are always older than the nodes that use them, so one pass
    // oldest first knows, at each node, whether its inputs want a gradient.
    sort_by_seq(order);
    for (pos, (_, l)) in order.iter().enumerate() {
        tape.set_pos(l.slot, pos as u32);
    }
    plan.reserve(order.len());
    wanted.reserve(order.len());
    for &(_, l) in order.iter() {
        let node = tape
            .node(l)
            .ok_or_else(|| Error::Graph("internal error: node vanished".into()))?;
        // Listed by `grad` through any of the node's outputs.
        let listed = match targets {
            Targets::These { links, .. } => {
                links.iter().any(|t| t.slot == l.slot && t.gen == l.gen)
            }
            Targets::Variables => false,
        };
        let (item, wants) = match &node.kind {
            NodeKind::Leaf(slot) => {
                let target = match targets {
                    Targets::Variables => slot.req != GradReq::Null,
                    Targets::These { .. } => listed,
                };
                let item = PlanItem::Leaf {
                    slot: slot.clone(),
                    target,
                };
                (item, target)
            }
            NodeKind::Op(saved) => {
                let input_pos: SmallVec<[Option<(u32, u32)>; 2]> = node
                    .inputs
                    .iter()
                    .map(|il| {
                        let il = (*il)?;
                        let p = tape.pos(il.slot);
                        wanted[p as usize].then_some((p, il.out))
                    })
                    .collect();
                let reaches = input_pos.iter().any(Option::is_some);
                let item = match saved {
                    _ if !reaches => PlanItem::Skip,
                    None => {
                        return Err(Error::Graph(format!(
                            "cannot differentiate through '{}': its graph was already freed by an \
                             earlier backward. Pass retain_graph=True to the first backward (or \
                             autograd.grad) to differentiate the same graph twice",
                            node.name
                        )))
                    }
                    Some(saved) => {
                        let saved = saved.clone();
                        let linked = if create_graph {
                            let links = node.inputs.clone();
                            Some(Box::new(link_saved(&mut tape, &saved, &links, l)))
                        } else {
                            None
                        };
                        PlanItem::Op(Step {
                            link: l,
                            saved,
                            input_pos,
                            linked,
                        })
                    }
                };
                (item, reaches || listed)
            }
        };
        plan.push(item);
        wanted.push(wants);
    }
    let head_pos = seeds
        .iter()
        .map(|(l, _)| (tape.pos(l.slot) as usize, l.out))
        .collect();
    let target_pos = match targets {
        Targets::These { links, .. } => links
            .iter()
            .map(|l| {
                tape.was_visited(*l, epoch)
                    .then(|| tape.pos(l.slot) as usize)
            })
            .collect(),
        Targets::Variables => Vec::new(),
    };
    drop(tape);
    Ok((head_pos, target_pos))
}

/// Sorts (seq, node) pairs by seq. The nodes one backward reaches were mostly recorded
/// together, so their seqs are nearly dense: a placement by offset is linear where a
/// comparison sort is not; scattered seqs fall back to sorting.
fn sort_by_seq(order: &mut Vec<(u64, Link)>) {
    let (Some(lo), Some(hi)) = (
        order.iter().map(|o| o.0).min(),
        order.iter().map(|o| o.0).max(),
    ) else {
        return;
    };
    let span = (hi - lo) as usize + 1;
    if span > 4 * order.len() {
        order.sort_unstable_by_key(|&(seq, _)| seq);
        return;
    }
    const EMPTY: (u64, Link) = (
        u64::MAX,
        Link {
            slot: 0,
            gen: 0,
            out: 0,
        },
    );
    let mut placed = vec![EMPTY; span];
    for &o in order.iter() {
        placed[(o.0 - lo) as usize] = o;
    }
    order.clear();
    order.extend(placed.into_iter().filter(|o| o.0 != u64::MAX));
}

/// The saved values of node `l` with new handles to the nodes they came from.
fn link_saved(
    tape: &mut crate::tape::Arena,
    saved: &Saved,
    input_links: &[Option<Link>],
    l: Link,
) -> Linked {
    Linked {
        inputs: saved
            .inputs
            .iter()
            .zip(input_links)
            .map(|(kept, li)| {
                let v = kept.value()?.clone();
                Some(v.with_entry(li.map(|li| tape.entry(li))))
            })
            .collect(),
        outputs: saved
            .outputs
            .iter()
            .enumerate()
            .map(|(j, kept)| {
                let v = kept.value()?.clone();
                Some(v.with_entry(Some(tape.entry(Link { out: j as u32, ..l }))))
            })
            .collect(),
    }
}

/// Drops the tape's reference to what the visited nodes saved (the values go with the plan's
/// references); a later backward through them reports the freed graph.
fn free_steps(plan: &[PlanItem]) {
    let mut freed: Vec<Arc<Saved>> = Vec::with_capacity(plan.len());
    let mut tape = TAPE.lock();
    for item in plan {
        let PlanItem::Op(step) = item else { continue };
        if let Some(node) = tape.node_mut(step.link) {
            if let NodeKind::Op(saved) = &mut node.kind {
                freed.extend(saved.take());
            }
        }
    }
    drop(tape);
    // Dropped outside the lock: an op can own Python objects.
    drop(freed);
}

/// `backward`: gradients of `heads` land in the variables' `.grad` buffers.
pub fn backward(
    heads: &[Tensor],
    head_grads: &[Option<Tensor>],
    retain_graph: bool,
    train_mode: bool,
) -> Result<()> {
    run_backward(
        heads,
        head_grads,
        Targets::Variables,
        retain_graph,
        false,
        train_mode,
    )
    .map(|_| ())
}

/// `grad`: gradients of `heads` with respect to `variables`, returned (recorded themselves
/// when `create_graph`, so they can be differentiated again).
pub fn grad(
    heads: &[Tensor],
    variables: &[Tensor],
    head_grads: &[Option<Tensor>],
    retain_graph: bool,
    create_graph: bool,
    train_mode: bool,
) -> Result<Vec<Tensor>> {
    let links = variables
        .iter()
        .map(|v| {
            v.entry().map(|e| e.link()).ok_or_else(|| {
                invalid("grad", "every variable must be part of the graph: call attach_grad() on it before record()")
            })
        })
        .collect::<Result<Vec<Link>>>()?;
    run_backward(
        heads,
        head_grads,
        Targets::These {
            links: &links,
            vars: variables,
        },
        retain_graph,
        create_graph,
        train_mode,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::array::NDArray;
    use crate::ops::{self, linalg::dot};
    use smallvec::smallvec;

    fn var(values: Vec<f64>, shape: Shape) -> NDArray {
        let mut a = NDArray::from_tensor(Tensor::from_vec(values, shape));
        a.attach_grad(GradReq::Write).unwrap();
        a
    }

    fn grad_of(a: &NDArray) -> Vec<f64> {
        a.grad().unwrap().value().to_f64_vec()
    }

    #[test]
    fn sort_by_seq_orders_dense_and_scattered_seqs() {
        let link = |slot| Link {
            slot,
            gen: 0,
            out: 0,
        };
        for seqs in [vec![7u64, 3, 5, 4, 6], vec![1000, 3, 70_000, 12]] {
            let mut order: Vec<(u64, Link)> = seqs
                .iter()
                .enumerate()
                .map(|(i, &s)| (s, link(i as u32)))
                .collect();
            sort_by_seq(&mut order);
            let mut want = seqs.clone();
            want.sort();
            assert_eq!(order.iter().map(|o| o.0).collect::<Vec<_>>(), want);
            for (seq, l) in order {
                assert_eq!(seqs[l.slot as usize], seq, "each seq keeps its node");
            }
        }
    }

    #[test]
    fn chapter_example_gives_4x() {
        let x = var(vec![0., 1., 2., 3.], smallvec![4, 1]);
        let y = {
            let _g = ModeGuard::new(true, true);
            let xt = x.tensor();
            ops::mul_scalar(
                &dot(&ops::transpose(&xt, None).unwrap(), &xt, false, false).unwrap(),
                2.0,
            )
            .unwrap()
        };
        assert_eq!(y.to_f64_vec(), vec![28.0]);
        backward(&[y], &[None], false, true).unwrap();
        assert_eq!(grad_of(&x), vec![0., 4., 8., 12.]);
    }

    #[test]
    fn second_derivative_of_sin_is_minus_sin() {
        let x = var(vec![0.3, 1.1], smallvec![2]);
        let _g = ModeGuard::new(true, true);
        let y = ops::sin(&x.tensor()).unwrap();
        let dy = grad(&[y], &[x.tensor()], &[None], true, true, true)
            .unwrap()
            .remove(0);
        drop(_g);
        backward(&[dy], &[None], false, true).unwrap();
        let g = grad_of(&x);
        assert!((g[0] + 0.3f64.sin()).abs() < 1e-12 && (g[1] + 1.1f64.sin()).abs() < 1e-12);
    }

    #[test]
    fn a_freed_graph_says_retain_graph() {
        let x = var(vec![1.0, 2.0], smallvec![2]);
        let y = {
            let _g = ModeGuard::new(true, true);
            ops::exp(&x.tensor()).unwrap()
        };
        backward(std::slice::from_ref(&y), &[None], false, true).unwrap();
        let err = backward(&[y], &[None], false, true).unwrap_err();
        assert!(err.to_string().contains("retain_graph"), "{}", err);
    }

    #[test]
    fn writes_after_recording_do_not_change_the_gradient() {
        // y = x * w; then w is overwritten before backward: dy/dx must be the old w.
        let x = var(vec![1.0, 2.0], smallvec![2]);
        let mut w = NDArray::from_tensor(Tensor::from_vec(vec![3.0, 4.0], smallvec![2]));
        let y = {
            let _g = ModeGuard::new(true, true);
            ops::mul(&x.tensor(), &w.tensor()).unwrap()
        };
        w.assign(&Tensor::from_vec(vec![0.0, 0.0], smallvec![2]))
            .unwrap();
        backward(&[y], &[None], false, true).unwrap();
        assert_eq!(grad_of(&x), vec![3.0, 4.0]);
        assert_eq!(w.value().to_f64_vec(), vec![0.0, 0.0]);
    }

    #[test]
    fn nodes_are_reclaimed_when_results_drop() {
        let x = var(vec![1.0; 8], smallvec![8]);
        let x_link = x.entry().unwrap().link();
        let chain_last = {
            let _g = ModeGuard::new(true, true);
            let mut y = x.tensor();
            for _ in 0..1000 {
                y = ops::sin(&y).unwrap();
            }
            y
        };
        let link = chain_last.entry().unwrap().link();
        assert!(TAPE.lock().node(link).is_some());
        drop(chain_last);
        // The whole chain went with its last handle (iteratively: no deep recursion).
        assert!(TAPE.lock().node(link).is_none());
        assert!(TAPE.lock().node(x_link).is_some());
    }
}
