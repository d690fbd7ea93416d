//! The tape: an arena of graph nodes addressed by (slot, generation).
//!
//! Invariants:
//! - A node's inputs are always older nodes (recording only ever links to existing nodes),
//!   so the graph is acyclic and reference counts can reclaim it.
//! - `refs` counts every live `Entry` handle (clones of one handle count once) plus every
//!   link from a younger node. When it reaches
//!   zero the node is freed, its slot's generation bumps, and its inputs are released in turn
//!   (iteratively: a 20 000-op chain must not recurse 20 000 deep).
//! - Nodes never own an `Entry` (only raw links), so dropping a node under the lock can never
//!   re-enter the lock.
//! - `seq` rises with creation; backward visits nodes in decreasing `seq`
//!   (Note: tape order), so slot reuse cannot disturb the order.
//!
//! One global arena behind a mutex: NDArrays can be freed on any Python thread, and the lock is
//! uncontended in practice (taken once per recorded op and once per dropped handle).

use crate::autograd::{GradSlot, Op};
use crate::dtype::DType;
use crate::shape::Shape;
use crate::tensor::Tensor;
use parking_lot::Mutex;
use smallvec::SmallVec;
use std::sync::Arc;

/// A raw link to one output of a node; carries no reference count of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Link {
    pub slot: u32,
    pub gen: u32,
    pub out: u32,
}

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
        let garbage = TAPE.lock().decref(self.0);
        // Freed nodes are dropped here, after the lock is released: an op can own Python
        // objects whose finalisers drop arrays, which take the lock again.
        drop(garbage);
    }
}

pub(crate) enum NodeKind {
    /// A variable: the gradient's destination.
    Leaf(Arc<GradSlot>),
    /// A recorded op; `None` once backward has freed what it saved.
    Op(Option<Arc<Saved>>),
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

/// One input or output of a recorded op as its backward sees it: the value itself when the
/// rule reads it, otherwise only its shape and dtype (to shape gradients and zero fills).
pub(crate) enum Kept {
    Value(Tensor),
    Meta { shape: Shape, dtype: DType },
}

impl Kept {
    pub fn new(t: &Tensor, keep_value: bool) -> Kept {
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

pub(crate) struct Node {
    pub seq: u64,
    pub name: &'static str,
    pub kind: NodeKind,
    /// The node each input came from (None: a constant, no gradient wanted).
    pub inputs: SmallVec<[Option<Link>; 2]>,
}

struct Slot {
    gen: u32,
    refs: u32,
    /// Scratch for graph walks: the walk's epoch when visited, and the node's plan position.
    mark: u64,
    pos: u32,
    node: Option<Node>,
}

pub(crate) struct Arena {
    slots: Vec<Slot>,
    free: Vec<u32>,
    next_seq: u64,
    epoch: u64,
    live: usize,
}

pub(crate) static TAPE: Mutex<Arena> = Mutex::new(Arena::new());

impl Arena {
    const fn new() -> Arena {
        Arena {
            slots: Vec::new(),
            free: Vec::new(),
            next_seq: 0,
            epoch: 0,
            live: 0,
        }
    }

    /// Adds a node with one reference per output handle returned.
    pub fn push(
        &mut self,
        name: &'static str,
        kind: NodeKind,
        inputs: SmallVec<[Option<Link>; 2]>,
        n_out: u32,
    ) -> SmallVec<[Entry; 1]> {
        for l in inputs.iter().flatten() {
            self.incref(*l);
        }
        let node = Node {
            seq: self.next_seq,
            name,
            kind,
            inputs,
        };
        self.next_seq += 1;
        self.live += 1;
        let slot = match self.free.pop() {
            Some(i) => {
                let s = &mut self.slots[i as usize];
                s.refs = n_out;
                s.node = Some(node);
                i
            }
            None => {
                self.slots.push(Slot {
                    gen: 0,
                    refs: n_out,
                    mark: 0,
                    pos: 0,
                    node: Some(node),
                });
                (self.slots.len() - 1) as u32
            }
        };
        let gen = self.slots[slot as usize].gen;
        (0..n_out)
            .map(|out| Entry::counted(Link { slot, gen, out }))
            .collect()
    }

    fn slot_of(&self, l: Link) -> Option<&Slot> {
        self.slots
            .get(l.slot as usize)
            .filter(|s| s.gen == l.gen && s.node.is_some())
    }

    pub fn node(&self, l: Link) -> Option<&Node> {
        self.slot_of(l).and_then(|s| s.node.as_ref())
    }

    pub fn node_mut(&mut self, l: Link) -> Option<&mut Node> {
        self.slots
            .get_mut(l.slot as usize)
            .filter(|s| s.gen == l.gen)
            .and_then(|s| s.node.as_mut())
    }

    pub fn incref(&mut self, l: Link) {
        if let Some(s) = self
            .slots
            .get_mut(l.slot as usize)
            .filter(|s| s.gen == l.gen)
        {
            s.refs += 1;
        }
    }

    /// A new counted handle for a link the caller knows is live.
    pub fn entry(&mut self, l: Link) -> Entry {
        self.incref(l);
        Entry::counted(l)
    }

    /// Releases one reference. Nodes that become unreachable are dropped in place, except
    /// what may own Python objects (an op with state, a variable's gradient slot): that is
    /// returned for the caller to drop once the lock is released. Saved values are detached
    /// tensors, so dropping them never re-enters the tape.
    #[must_use]
    pub fn decref(&mut self, l: Link) -> SmallVec<[NodeKind; 1]> {
        let mut garbage = SmallVec::new();
        let mut work: SmallVec<[Link; 8]> = SmallVec::new();
        work.push(l);
        while let Some(l) = work.pop() {
            let Some(s) = self
                .slots
                .get_mut(l.slot as usize)
                .filter(|s| s.gen == l.gen)
            else {
                continue; // stale: the arena guards against it rather than misreading a slot
            };
            s.refs = s.refs.saturating_sub(1);
            if s.refs > 0 {
                continue;
            }
            if let Some(node) = s.node.as_mut() {
                work.extend(node.inputs.iter().flatten().copied());
                let kind = std::mem::replace(&mut node.kind, NodeKind::Op(None));
                let may_own_python = match &kind {
                    NodeKind::Leaf(_) => true,
                    NodeKind::Op(None) => false,
                    NodeKind::Op(Some(saved)) => matches!(saved.op, OpRef::Shared(_)),
                };
                if may_own_python {
                    garbage.push(kind);
                }
                s.node = None;
                s.gen = s.gen.wrapping_add(1);
                self.free.push(l.slot);
                self.live -= 1;
            }
        }
        garbage
    }

    pub fn live(&self) -> usize {
        self.live
    }

    /// Starts a graph walk: marks set before this call read as unvisited.
    pub fn new_epoch(&mut self) -> u64 {
        self.epoch += 1;
        self.epoch
    }

    /// Marks a node visited in this epoch; returns false if it already was.
    pub fn visit(&mut self, l: Link, epoch: u64) -> bool {
        match self
            .slots
            .get_mut(l.slot as usize)
            .filter(|s| s.gen == l.gen)
        {
            Some(s) if s.mark != epoch => {
                s.mark = epoch;
                true
            }
            _ => false,
        }
    }

    pub fn was_visited(&self, l: Link, epoch: u64) -> bool {
        self.slot_of(l).is_some_and(|s| s.mark == epoch)
    }

    pub fn set_pos(&mut self, slot: u32, pos: u32) {
        if let Some(s) = self.slots.get_mut(slot as usize) {
            s.pos = pos;
        }
    }

    pub fn pos(&self, slot: u32) -> u32 {
        self.slots.get(slot as usize).map_or(u32::MAX, |s| s.pos)
    }
}

/// Number of nodes alive on the tape (for tests of reclamation).
pub fn live_nodes() -> usize {
    TAPE.lock().live()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::autograd::GradReq;

    fn leaf() -> SmallVec<[Entry; 1]> {
        let slot = Arc::new(GradSlot::new_zeros(
            smallvec::smallvec![1],
            DType::F32,
            GradReq::Write,
        ));
        TAPE.lock()
            .push("variable", NodeKind::Leaf(slot), SmallVec::new(), 1)
    }

    #[test]
    fn slots_are_reused_with_a_new_generation() {
        let before = live_nodes();
        let e = leaf().pop().unwrap();
        let first = e.link();
        drop(e);
        // Other tests run in parallel on the same tape: only check our own slot's fate.
        let tape = TAPE.lock();
        assert!(
            tape.node(first).is_none(),
            "a freed node must not be reachable by its old link"
        );
        drop(tape);
        let _ = before;
    }
}
