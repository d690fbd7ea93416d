//! Reverse-mode differentiation over the tape.
//!
//! A pass runs in named phases:
//! 1. `seed_gradients`: check the heads and their head gradients (ones by default).
//! 2. `Plan::build`, under the tape's lock: `collect` the nodes reachable from the heads,
//!    `order` them oldest first (Note: tape order), and `prune`: keep a rule only where a
//!    wanted gradient flows through it, and take a reference to what each kept node saved.
//! 3. `Pass::run_rules`, lock released: newest node first, each rule turns the gradients
//!    arriving at its outputs into gradients of its inputs, summed per node.
//! 4. `Pass::deliver`: into the variables' `.grad` buffers (`backward`), or returned (`grad`).
//! 5. `free_saved`: unless `retain_graph`, the visited nodes drop what they saved, so a second
//!    pass through them reports the freed graph.
//!
//! Rules are written with the engine's own ops. With `create_graph` the rules run recorded,
//! so the gradients are themselves differentiable; otherwise the tape does not grow. A failed
//! pass writes nothing and frees nothing; so does one cut short by a Ctrl-C (phase 3 tests for
//! it between rules, Note: interruption; phase 4 runs to the end).
//!
//! This module sits above the ops (it sums gradients with `ops::add`) and below the bindings.

use crate::dtype::{DType, Real};
use crate::error::{dtype_err, invalid, shape_err, Error, Result};
use crate::graph::arena::Link;
use crate::graph::mode::{is_recording, ModeGuard};
use crate::graph::variable::{GradReq, GradSlot};
use crate::graph::{
    record1, Ctx, Grads, InputDest, Linked, NodeKind, Op, Save, Saved, Tape, Tensor, TAPE,
};
use crate::kernels::{interrupt, Stop};
use crate::ops;
use crate::shape::{fmt_tuple, Shape};
use smallvec::SmallVec;
use std::cell::Cell;
use std::sync::Arc;

/// What a pass may do besides computing gradients.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Keep what the visited nodes saved, so the graph can be differentiated again.
    pub retain_graph: bool,
    /// Record the pass itself, so its gradients can be differentiated (higher order).
    pub create_graph: bool,
    /// The training flag the rules see (Dropout's rule reads it).
    pub train_mode: bool,
    /// `grad` only: a variable the heads do not depend on gets zeros instead of an error.
    pub allow_unused: bool,
}

/// What one pass differentiates with respect to.
pub enum Targets<'a> {
    /// Every variable reached (`backward`): gradients land in their slots.
    Variables,
    /// These entries of the graph (`grad`): variables or intermediate results; gradients are
    /// returned. One the heads do not depend on is an error (as in MXNet and PyTorch), or
    /// zeros with `Options::allow_unused`.
    These {
        links: &'a [Link],
        vars: &'a [Tensor],
    },
}

impl Targets<'_> {
    /// Whether `grad` listed the node `l` (through any of its outputs).
    fn lists(&self, l: Link) -> bool {
        match self {
            Targets::These { links, .. } => links.iter().any(|t| t.same_node(l)),
            Targets::Variables => false,
        }
    }
}

/// `backward`: gradients of `heads` land in the variables' `.grad` buffers.
pub fn backward(heads: &[Tensor], head_grads: &[Option<Tensor>], options: Options) -> Result<()> {
    run_backward(heads, head_grads, Targets::Variables, options).map(|_| ())
}

/// `grad`: gradients of `heads` with respect to `variables`, returned (recorded themselves
/// when `options.create_graph`, so they can be differentiated again).
pub fn grad(
    heads: &[Tensor],
    variables: &[Tensor],
    head_grads: &[Option<Tensor>],
    options: Options,
) -> Result<Vec<Tensor>> {
    if variables.is_empty() {
        return Err(invalid(
            "grad",
            "no variables were given: pass the arrays to differentiate with respect to",
        ));
    }
    let links = variables
        .iter()
        .map(|v| {
            v.entry().map(|e| e.link()).ok_or_else(|| {
                invalid(
                    "grad",
                    "every variable must be part of the graph: call attach_grad() on it before record()",
                )
            })
        })
        .collect::<Result<Vec<Link>>>()?;
    let targets = Targets::These {
        links: &links,
        vars: variables,
    };
    let mut grads = run_backward(heads, head_grads, targets, options)?;
    if options.create_graph {
        let _mode = ModeGuard::new(true, options.train_mode);
        for (g, var) in grads.iter_mut().zip(variables) {
            if !g.requires_grad() {
                *g = record1(ConstantIn, &[var], Save::NOTHING, g.detach());
            }
        }
    }
    Ok(grads)
}

/// A gradient that does not depend on its variable (the derivative of a linear or
/// piecewise-linear op: relu, clip, the second of square) is still a function of it, a
/// constant one. Under create_graph it is recorded as such, so differentiating it again gives
/// zeros, as in MXNet, rather than "not computed inside autograd.record()".
struct ConstantIn;

impl Op for ConstantIn {
    fn name(&self) -> &'static str {
        "constant"
    }
    fn backward(&self, _ctx: &Ctx, _grads: &[Tensor]) -> Result<Grads> {
        Ok(smallvec::smallvec![None])
    }
}

/// Reverse-mode differentiation from `heads`. Returns one gradient per `Targets::These`
/// entry, or nothing for `Targets::Variables`, whose gradients are written into their slots.
pub fn run_backward(
    heads: &[Tensor],
    head_grads: &[Option<Tensor>],
    targets: Targets<'_>,
    options: Options,
) -> Result<Vec<Tensor>> {
    let seeds = seed_gradients(heads, head_grads)?;
    with_pass(|pass| {
        pass.plan
            .build(&mut pass.walk, &seeds, &targets, options.create_graph)?;
        if let (Targets::These { vars, .. }, false) = (&targets, options.allow_unused) {
            if let Some(i) = pass.plan.targets.iter().position(Option::is_none) {
                return Err(Error::Graph(format!(
                    "grad: variable {} (shape {}) is not part of the heads' graph: the heads \
                     were not computed from it inside autograd.record(). Pass only arrays the \
                     heads depend on, or allow_unused=True to get zeros for it",
                    i,
                    vars.get(i)
                        .map(|v| fmt_tuple(v.shape()))
                        .unwrap_or_default()
                )));
            }
        }
        let mode = ModeGuard::new(options.create_graph, options.train_mode);
        pass.run_rules(&seeds)?;
        drop(mode);
        // Past this point nothing is cut short (Note: interruption): a request that came
        // during the last rule is honoured here, before anything is written.
        if Stop::current().now() {
            return Err(Error::Interrupted);
        }
        let results = interrupt::with_armed(false, || pass.deliver(&targets))?;
        if !options.retain_graph {
            free_saved(&pass.plan.steps);
        }
        Ok(results)
    })
}

// ---------------------------------------------------------------------------------------------
// Phase 1: seeds.

/// Each head's node and the gradient that starts there.
fn seed_gradients(heads: &[Tensor], head_grads: &[Option<Tensor>]) -> Result<Vec<(Link, Tensor)>> {
    if heads.is_empty() {
        return Err(invalid("backward", "no head arrays were given"));
    }
    heads
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let Some(e) = h.entry() else {
                return Err(Error::Graph(
                    "cannot differentiate: the array was not computed inside autograd.record() \
                     from an array with attach_grad() (or its graph was cut by detach())"
                        .into(),
                ));
            };
            let g = match head_grads.get(i).and_then(Option::as_ref) {
                Some(g) => check_head_grad(h, g)?,
                None => Tensor::filled(h.shape_vec(), h.dtype(), 1.0),
            };
            Ok((e.link(), g.detach()))
        })
        .collect()
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
        ops::reshape(g, head.shape_vec())
    }
}

// ---------------------------------------------------------------------------------------------
// Phase 2: the plan.

/// One node of the plan, in tape order.
enum Step {
    /// A variable the walk reached; `target`: its gradient is delivered.
    Leaf { slot: Arc<GradSlot>, target: bool },
    /// A recorded op whose rule runs.
    Rule(Rule),
    /// A node no wanted gradient flows through (its inputs lead to no target).
    Skip,
}

struct Rule {
    link: Link,
    saved: Arc<Saved>,
    /// Where each input's gradient goes.
    dests: SmallVec<[InputDest; 2]>,
    /// Under create_graph: the saved values with their graph links.
    linked: Option<Box<Linked>>,
    /// `grad` listed this node too: the gradient arriving here is also a result.
    target: bool,
}

#[derive(Default)]
struct Plan {
    /// The nodes reached, oldest first; the rules run over it backwards.
    steps: Vec<Step>,
    /// Plan position and output index of each head.
    heads: Vec<(usize, u32)>,
    /// Plan position of each `grad` target (None: the heads do not reach it).
    targets: Vec<Option<usize>>,
    /// Scratch: (seq, node) of the nodes reached, and whether each one's gradient is wanted
    /// (it is a target or leads to one).
    order: Vec<(u64, Link)>,
    wanted: Vec<bool>,
}

impl Plan {
    fn clear(&mut self) {
        self.steps.clear();
        self.heads.clear();
        self.targets.clear();
        self.order.clear();
        self.wanted.clear();
    }

    /// Walks the graph under the lock and takes what the rules need (a reference to each
    /// node's saved record), so that the rules themselves run without holding it (they may
    /// record new nodes).
    fn build(
        &mut self,
        walk: &mut Walk,
        seeds: &[(Link, Tensor)],
        targets: &Targets<'_>,
        create_graph: bool,
    ) -> Result<()> {
        let mut tape = TAPE.lock();
        walk.start(tape.slot_count());
        collect(&tape, walk, seeds, &mut self.order)?;
        order_by_seq(&mut self.order);
        for (pos, &(_, l)) in self.order.iter().enumerate() {
            walk.set_pos(l, pos as u32);
        }
        self.prune(&mut tape, walk, targets, create_graph)?;
        self.heads = seeds
            .iter()
            .map(|(l, _)| (walk.pos(*l) as usize, l.out))
            .collect();
        if let Targets::These { links, .. } = targets {
            self.targets = links
                .iter()
                .map(|&l| walk.visited(l).then(|| walk.pos(l) as usize))
                .collect();
        }
        Ok(())
        // The lock is released here, before the caller drops any handle (which takes it).
    }

    /// One step per node, oldest first. A node's gradient is wanted when it is a target or
    /// one of its inputs' is; inputs are older (Note: tape order), so one pass decides.
    fn prune(
        &mut self,
        tape: &mut Tape,
        walk: &Walk,
        targets: &Targets<'_>,
        create_graph: bool,
    ) -> Result<()> {
        self.steps.reserve(self.order.len());
        self.wanted.reserve(self.order.len());
        for &(_, l) in self.order.iter() {
            let node = tape.node(l).ok_or_else(vanished)?;
            let listed = targets.lists(l);
            let (step, wanted) = match &node.kind {
                NodeKind::Leaf(slot) => {
                    let target = match targets {
                        Targets::Variables => slot.req != GradReq::Null,
                        Targets::These { .. } => listed,
                    };
                    let step = Step::Leaf {
                        slot: slot.clone(),
                        target,
                    };
                    (step, target)
                }
                NodeKind::Op(saved) => {
                    let dests: SmallVec<[InputDest; 2]> = node
                        .inputs
                        .iter()
                        .map(|input| {
                            let input = (*input)?;
                            let pos = walk.pos(input);
                            self.wanted[pos as usize].then_some((pos, input.out))
                        })
                        .collect();
                    let reaches = dests.iter().any(Option::is_some);
                    let step = match saved {
                        _ if !reaches => Step::Skip,
                        None => return Err(freed_graph(node.name)),
                        Some(saved) => {
                            let saved = saved.clone();
                            let linked = if create_graph {
                                let inputs = node.inputs.clone();
                                Some(Box::new(Linked::new(tape, &saved, &inputs, l)))
                            } else {
                                None
                            };
                            Step::Rule(Rule {
                                link: l,
                                saved,
                                dests,
                                linked,
                                target: listed,
                            })
                        }
                    };
                    (step, reaches || listed)
                }
            };
            self.steps.push(step);
            self.wanted.push(wanted);
        }
        // MXNet refuses a backward that could write no gradient at all: every variable the
        // heads reach has grad_req='null'. (Checked before any rule runs: nothing is written
        // and nothing freed.)
        if matches!(targets, Targets::Variables)
            && !self
                .steps
                .iter()
                .any(|s| matches!(s, Step::Leaf { target: true, .. }))
        {
            return Err(Error::Graph(
                "backward: there are no inputs in the computation graph that require \
                 gradients (every variable it reaches has grad_req='null')"
                    .into(),
            ));
        }
        Ok(())
    }
}

/// The nodes reachable from the seeds, in no particular order.
fn collect(
    tape: &Tape,
    walk: &mut Walk,
    seeds: &[(Link, Tensor)],
    order: &mut Vec<(u64, Link)>,
) -> Result<()> {
    let mut stack: Vec<Link> = seeds.iter().map(|(l, _)| *l).collect();
    while let Some(l) = stack.pop() {
        if !walk.visit(l) {
            continue;
        }
        let node = tape.node(l).ok_or_else(vanished)?;
        order.push((node.seq, l.node()));
        stack.extend(node.inputs.iter().flatten().copied());
    }
    Ok(())
}

/// Sorts (seq, node) pairs by seq, oldest first. The nodes one pass reaches were mostly
/// recorded together, so their seqs are nearly dense: placing each at its offset is linear,
/// where a comparison sort cost ~190 instructions a node (callgrind, 1000-op chain; the chain's
/// fwd+bwd went 530 -> 500 us in criterion's `chain_1000` with the placement). Scattered seqs
/// fall back to sorting.
fn order_by_seq(order: &mut Vec<(u64, Link)>) {
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
        if let Some(p) = placed.get_mut((o.0 - lo) as usize) {
            *p = o;
        }
    }
    order.clear();
    order.extend(placed.into_iter().filter(|o| o.0 != u64::MAX));
}

fn vanished() -> Error {
    Error::Graph("internal error: a graph node vanished while still referenced".into())
}

fn freed_graph(name: &str) -> Error {
    Error::Graph(format!(
        "cannot differentiate through '{}': its graph was already freed by an earlier backward. \
         Pass retain_graph=True to the first backward (or autograd.grad) to differentiate the \
         same graph twice",
        name
    ))
}

/// Per-slot marks of a graph walk: whether the current walk visited the node in a slot, and
/// its plan position. Kept with the pass, not in the arena: the arena is the graph's, a walk
/// is one reader's.
#[derive(Default)]
struct Walk {
    epoch: u32,
    marks: Vec<Mark>,
}

#[derive(Clone, Copy, Default)]
struct Mark {
    /// The walk that last visited this slot; marks of earlier walks read as unvisited.
    epoch: u32,
    pos: u32,
}

impl Walk {
    fn start(&mut self, slots: usize) {
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            // Wrapped: old marks could collide with the new epoch numbers.
            self.marks.clear();
            self.epoch = 1;
        }
        if self.marks.len() < slots {
            self.marks.resize(slots, Mark::default());
        }
    }

    /// Marks `l`'s node visited; false if it already was.
    fn visit(&mut self, l: Link) -> bool {
        match self.marks.get_mut(l.slot as usize) {
            Some(m) if m.epoch != self.epoch => {
                m.epoch = self.epoch;
                true
            }
            _ => false,
        }
    }

    fn visited(&self, l: Link) -> bool {
        self.marks
            .get(l.slot as usize)
            .is_some_and(|m| m.epoch == self.epoch)
    }

    fn set_pos(&mut self, l: Link, pos: u32) {
        if let Some(m) = self.marks.get_mut(l.slot as usize) {
            m.pos = pos;
        }
    }

    fn pos(&self, l: Link) -> u32 {
        self.marks.get(l.slot as usize).map_or(u32::MAX, |m| m.pos)
    }
}

// ---------------------------------------------------------------------------------------------
// Phases 3 and 4: running the rules, delivering the gradients.

/// A pass's working memory, kept between passes on a thread (`with_pass`).
#[derive(Default)]
struct Pass {
    plan: Plan,
    walk: Walk,
    /// Gradients arriving at each plan node's outputs.
    grads: Vec<SmallVec<[Option<Tensor>; 1]>>,
    /// Gradients that arrived at targets which are also rules (taken before the rule runs).
    kept: Vec<(usize, SmallVec<[Option<Tensor>; 1]>)>,
}

impl Pass {
    fn clear(&mut self) {
        self.plan.clear();
        self.grads.clear();
        self.kept.clear();
    }

    fn run_rules(&mut self, seeds: &[(Link, Tensor)]) -> Result<()> {
        let Pass {
            plan, grads, kept, ..
        } = self;
        grads.resize_with(plan.steps.len(), SmallVec::new);
        for ((_, g), &(pos, out)) in seeds.iter().zip(&plan.heads) {
            accumulate(node_grads(grads, pos)?, out, g.clone())?;
        }
        let stop = Stop::current();
        for (pos, step) in plan.steps.iter().enumerate().rev() {
            let Step::Rule(rule) = step else {
                continue;
            };
            // Between rules: a Ctrl-C ends the pass (nothing has been written yet).
            if stop.now() {
                return Err(Error::Interrupted);
            }
            let arriving = std::mem::take(node_grads(grads, pos)?);
            if arriving.iter().all(Option::is_none) {
                continue;
            }
            if rule.target {
                kept.push((pos, arriving.clone()));
            }
            let outs: SmallVec<[Tensor; 1]> = rule
                .saved
                .outputs
                .iter()
                .enumerate()
                .map(|(j, kept)| {
                    arriving.get(j).cloned().flatten().unwrap_or_else(|| {
                        Tensor::filled(Shape::from_slice(kept.shape()), kept.dtype(), 0.0)
                    })
                })
                .collect();
            drop(arriving);
            let ctx = Ctx::new(&rule.saved, rule.linked.as_deref(), &rule.dests);
            let dx = rule.saved.op.backward(&ctx, &outs)?;
            for (i, g) in dx.into_iter().enumerate() {
                let (Some(g), Some(&Some((p, o)))) = (g, rule.dests.get(i)) else {
                    continue;
                };
                if g.shape() != ctx.input_shape(i) {
                    return Err(Error::Graph(format!(
                        "internal error: the backward of {} gave a gradient of shape {} for an input of shape {}",
                        rule.saved.op.name(),
                        fmt_tuple(g.shape()),
                        fmt_tuple(ctx.input_shape(i))
                    )));
                }
                accumulate(node_grads(grads, p as usize)?, o, g)?;
            }
        }
        for (pos, g) in kept.drain(..) {
            *node_grads(grads, pos)? = g;
        }
        Ok(())
    }

    fn deliver(&mut self, targets: &Targets<'_>) -> Result<Vec<Tensor>> {
        let Pass { plan, grads, .. } = self;
        match targets {
            Targets::These { links, vars } => Ok(links
                .iter()
                .zip(vars.iter())
                .zip(&plan.targets)
                .map(|((l, var), pos)| {
                    let g = pos.and_then(|p| grads.get(p)?.get(l.out as usize).cloned().flatten());
                    g.unwrap_or_else(|| Tensor::filled(var.shape_vec(), var.dtype(), 0.0))
                })
                .collect()),
            Targets::Variables => {
                // Every write is prepared first, so that a failure leaves all gradients as
                // they were.
                let mut writes = Vec::new();
                for (step, g) in plan.steps.iter().zip(grads.iter_mut()) {
                    if let Step::Leaf { slot, target: true } = step {
                        let g = match g.first_mut().and_then(Option::take) {
                            Some(g) => g,
                            None => Tensor::filled(slot.shape.clone(), slot.dtype, 0.0),
                        };
                        writes.push((slot, g));
                    }
                }
                for (slot, g) in writes {
                    write_gradient(slot, &g)?;
                    slot.set_fresh(true);
                }
                Ok(Vec::new())
            }
        }
    }
}

fn node_grads(
    grads: &mut [SmallVec<[Option<Tensor>; 1]>],
    pos: usize,
) -> Result<&mut SmallVec<[Option<Tensor>; 1]>> {
    grads.get_mut(pos).ok_or_else(|| {
        Error::Graph("internal error: a gradient for a node outside the plan".into())
    })
}

/// Stores a variable's gradient per its `grad_req`.
fn write_gradient(slot: &GradSlot, g: &Tensor) -> Result<()> {
    match slot.req {
        GradReq::Null => Ok(()),
        GradReq::Write => slot.storage.write_region(slot.offset, &slot.shape, g),
        GradReq::Add => {
            let old = Tensor::from(slot.current());
            let sum = ops::add(&old, &g.detach())?;
            slot.storage.write_region(slot.offset, &slot.shape, &sum)
        }
    }
}

/// Adds a gradient contribution for output `out` of a node.
fn accumulate(node: &mut SmallVec<[Option<Tensor>; 1]>, out: u32, g: Tensor) -> Result<()> {
    let out = out as usize;
    if node.len() <= out {
        node.resize(out + 1, None);
    }
    let Some(acc) = node.get_mut(out) else {
        return Ok(());
    };
    let Some(prev) = acc else {
        *acc = Some(g);
        return Ok(());
    };
    if !add_in_place(prev, &g) {
        *acc = Some(ops::add(prev, &g)?);
    }
    Ok(())
}

/// `acc += g` in place when the pass is not recorded and the running sum owns its buffer
/// (never a user's array, a saved value or a head gradient: those are shared). Saves a new
/// buffer and its write-allocate pass: the yardstick's fan-out workload (c) went 40 -> 30 ms.
/// Returns false, having done nothing, otherwise.
fn add_in_place(acc: &mut Tensor, g: &Tensor) -> bool {
    if is_recording() || acc.shape() != g.shape() {
        return false;
    }
    fn add<T: Real>(acc: &mut Tensor, g: &Tensor) -> bool {
        match (acc.value_mut().unique_data_mut::<T>(), g.data::<T>()) {
            (Some(dst), Ok(src)) => {
                crate::kernels::elementwise::update(dst, src, |a, b| a + b);
                true
            }
            _ => false,
        }
    }
    match (acc.dtype(), g.dtype()) {
        (DType::F32, DType::F32) => add::<f32>(acc, g),
        (DType::F64, DType::F64) => add::<f64>(acc, g),
        (DType::F16, DType::F16) => add::<crate::dtype::f16>(acc, g),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Phase 5: freeing.

/// Drops the tape's reference to what the visited nodes saved (the values go with the plan's
/// references); a later pass through them reports the freed graph.
fn free_saved(steps: &[Step]) {
    let mut freed: Vec<Arc<Saved>> = Vec::with_capacity(steps.len());
    let mut tape = TAPE.lock();
    for step in steps {
        let Step::Rule(rule) = step else { continue };
        if let Some(node) = tape.node_mut(rule.link) {
            if let NodeKind::Op(saved) = &mut node.kind {
                freed.extend(saved.take());
            }
        }
    }
    drop(tape);
    // Dropped outside the lock: an op can own Python objects.
    drop(freed);
}

/// Runs `f` with this thread's pass memory. Kept between passes because a pass over a long
/// chain would otherwise allocate (and page-fault in) its records afresh every time: ~4% of
/// the 1000-op chain's time under perf; criterion `chain_1000/fwd_bwd` 910 -> 840 us together
/// with the static op references.
fn with_pass<R>(f: impl FnOnce(&mut Pass) -> Result<R>) -> Result<R> {
    /// Passes over up to this many nodes keep their memory for the next one.
    const KEEP_NODES: usize = 1 << 14;
    thread_local! {
        static PASS: Cell<Option<Pass>> = const { Cell::new(None) };
    }
    let mut pass = PASS.with(|p| p.take()).unwrap_or_default();
    let result = f(&mut pass);
    pass.clear();
    if pass.plan.steps.capacity() <= KEEP_NODES && pass.walk.marks.len() <= 4 * KEEP_NODES {
        PASS.with(|p| p.set(Some(pass)));
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::mark_variable;
    use crate::graph::mode::ModeGuard;
    use crate::graph::variable::GradSlot;
    use crate::ops::{self, linalg::dot};
    use smallvec::smallvec;

    const OPTS: Options = Options {
        retain_graph: false,
        create_graph: false,
        train_mode: true,
        allow_unused: false,
    };

    /// A variable: a value with a leaf entry whose gradient lands in the returned slot.
    fn var(values: Vec<f64>, shape: Shape) -> (Tensor, Arc<GradSlot>) {
        let slot = Arc::new(GradSlot::new_zeros(
            shape.clone(),
            DType::F64,
            GradReq::Write,
        ));
        let t = Tensor::from_vec(values, shape).with_entry(Some(mark_variable(slot.clone())));
        (t, slot)
    }

    #[test]
    fn order_by_seq_orders_dense_and_scattered_seqs() {
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
            order_by_seq(&mut order);
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
        let (x, slot) = var(vec![0., 1., 2., 3.], smallvec![4, 1]);
        let y = {
            let _g = ModeGuard::new(true, true);
            let xt = ops::transpose(&x, None).unwrap();
            ops::mul_scalar(&dot(&xt, &x, false, false).unwrap(), 2.0).unwrap()
        };
        assert_eq!(y.to_f64_vec(), vec![28.0]);
        backward(&[y], &[None], OPTS).unwrap();
        assert_eq!(slot.current().to_f64_vec(), vec![0., 4., 8., 12.]);
    }

    #[test]
    fn second_derivative_of_sin_is_minus_sin() {
        let (x, slot) = var(vec![0.3, 1.1], smallvec![2]);
        let g = ModeGuard::new(true, true);
        let y = ops::sin(&x).unwrap();
        let higher = Options {
            retain_graph: true,
            create_graph: true,
            train_mode: true,
            allow_unused: false,
        };
        let dy = grad(&[y], &[x], &[None], higher).unwrap().remove(0);
        drop(g);
        backward(&[dy], &[None], OPTS).unwrap();
        let d2 = slot.current().to_f64_vec();
        assert!((d2[0] + 0.3f64.sin()).abs() < 1e-12 && (d2[1] + 1.1f64.sin()).abs() < 1e-12);
    }

    #[test]
    fn an_intermediate_target_keeps_its_gradient_when_it_also_leads_to_another() {
        // z = sum((3x)^2): dz/dy = 2y = 6x and dz/dx = 18x, asked for together.
        let (x, _) = var(vec![1.0, 2.0], smallvec![2]);
        let _g = ModeGuard::new(true, true);
        let y = ops::mul_scalar(&x, 3.0).unwrap();
        let z = ops::sum(&ops::square(&y).unwrap(), None, false, false).unwrap();
        let g = grad(&[z], &[x, y], &[None], OPTS).unwrap();
        assert_eq!(g[0].to_f64_vec(), vec![18.0, 36.0]);
        assert_eq!(g[1].to_f64_vec(), vec![6.0, 12.0]);
    }

    #[test]
    fn a_freed_graph_says_retain_graph() {
        let (x, _) = var(vec![1.0, 2.0], smallvec![2]);
        let y = {
            let _g = ModeGuard::new(true, true);
            ops::exp(&x).unwrap()
        };
        backward(std::slice::from_ref(&y), &[None], OPTS).unwrap();
        let err = backward(&[y], &[None], OPTS).unwrap_err();
        assert!(err.to_string().contains("retain_graph"), "{}", err);
    }

    #[test]
    fn nodes_are_reclaimed_when_results_drop() {
        let (x, _) = var(vec![1.0; 8], smallvec![8]);
        let x_link = x.entry().unwrap().link();
        let chain_last = {
            let _g = ModeGuard::new(true, true);
            let mut y = x.clone();
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
