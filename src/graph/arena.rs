//! The arena the tape is made of: nodes addressed by (slot, generation), reference-counted.
//!
//! It knows nothing of ops or values; a node carries an opaque `K` (the graph's node kind).
//!
//! Invariants:
//! - A node's inputs are always older nodes (recording only ever links to existing nodes),
//!   so the graph is acyclic and reference counts can reclaim it.
//! - `refs` counts every live handle to the node (the graph's `Entry`, whose clones count
//!   once) plus every link from a younger node. When it reaches zero the node is freed, its
//!   slot's generation bumps (so a stale link is caught, not misread), and its inputs are
//!   released in turn, iteratively: a 20 000-op chain must not recurse 20 000 deep.
//! - `seq` rises with creation; backward visits nodes in decreasing `seq` (Note: tape order),
//!   so slot reuse cannot disturb the order.

use smallvec::SmallVec;

/// A raw link to one output of a node; carries no reference count of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Link {
    pub slot: u32,
    pub gen: u32,
    pub out: u32,
}

impl Link {
    /// The node itself, whichever of its outputs this link names.
    pub fn node(self) -> Link {
        Link { out: 0, ..self }
    }

    /// Whether both links name the same node (possibly different outputs of it).
    pub fn same_node(self, other: Link) -> bool {
        self.slot == other.slot && self.gen == other.gen
    }
}

pub struct Node<K> {
    pub seq: u64,
    pub name: &'static str,
    pub kind: K,
    /// The node each input came from (None: a constant, no gradient wanted).
    pub inputs: SmallVec<[Option<Link>; 2]>,
}

struct Slot<K> {
    gen: u32,
    refs: u32,
    node: Option<Node<K>>,
}

pub struct Arena<K> {
    slots: Vec<Slot<K>>,
    free: Vec<u32>,
    next_seq: u64,
    live: usize,
}

impl<K> Default for Arena<K> {
    fn default() -> Arena<K> {
        Arena::new()
    }
}

impl<K> Arena<K> {
    pub const fn new() -> Arena<K> {
        Arena {
            slots: Vec::new(),
            free: Vec::new(),
            next_seq: 0,
            live: 0,
        }
    }

    /// Adds a node holding `refs` references (one per handle the caller will make) and takes
    /// a reference to each input. Returns the link to its output 0.
    pub fn push(
        &mut self,
        name: &'static str,
        kind: K,
        inputs: SmallVec<[Option<Link>; 2]>,
        refs: u32,
    ) -> Link {
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
            Some(i) => i,
            None => {
                self.slots.push(Slot {
                    gen: 0,
                    refs: 0,
                    node: None,
                });
                (self.slots.len() - 1) as u32
            }
        };
        let s = &mut self.slots[slot as usize];
        s.refs = refs;
        s.node = Some(node);
        Link {
            slot,
            gen: s.gen,
            out: 0,
        }
    }

    fn live_slot_mut(&mut self, l: Link) -> Option<&mut Slot<K>> {
        self.slots
            .get_mut(l.slot as usize)
            .filter(|s| s.gen == l.gen && s.node.is_some())
    }

    pub fn node(&self, l: Link) -> Option<&Node<K>> {
        self.slots
            .get(l.slot as usize)
            .filter(|s| s.gen == l.gen)
            .and_then(|s| s.node.as_ref())
    }

    pub fn node_mut(&mut self, l: Link) -> Option<&mut Node<K>> {
        self.live_slot_mut(l).and_then(|s| s.node.as_mut())
    }

    pub fn incref(&mut self, l: Link) {
        if let Some(s) = self.live_slot_mut(l) {
            s.refs += 1;
        }
    }

    /// Releases one reference. Nodes that become unreachable are dropped in place, except
    /// those whose kind `defer` picks: those are returned, for the caller to drop after
    /// releasing whatever lock guards the arena.
    #[must_use]
    pub fn decref(&mut self, l: Link, defer: impl Fn(&K) -> bool) -> SmallVec<[K; 1]> {
        let mut deferred = SmallVec::new();
        let mut work: SmallVec<[Link; 8]> = SmallVec::new();
        work.push(l);
        while let Some(l) = work.pop() {
            let Some(s) = self.live_slot_mut(l) else {
                continue; // stale: the arena guards against it rather than misreading a slot
            };
            s.refs = s.refs.saturating_sub(1);
            if s.refs > 0 {
                continue;
            }
            let Some(node) = s.node.take() else {
                continue;
            };
            s.gen = s.gen.wrapping_add(1);
            self.free.push(l.slot);
            self.live -= 1;
            work.extend(node.inputs.iter().flatten().copied());
            if defer(&node.kind) {
                deferred.push(node.kind);
            }
        }
        deferred
    }

    /// Nodes alive.
    pub fn live(&self) -> usize {
        self.live
    }

    /// One more than the largest slot index in use: the size of a table indexed by slot.
    pub fn slot_count(&self) -> usize {
        self.slots.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use smallvec::smallvec;

    #[test]
    fn slots_are_reused_with_a_new_generation() {
        let mut arena: Arena<&str> = Arena::new();
        let first = arena.push("a", "a", SmallVec::new(), 1);
        let freed = arena.decref(first, |_| false);
        assert!(freed.is_empty());
        assert!(
            arena.node(first).is_none(),
            "a freed node is not reachable by its old link"
        );
        let second = arena.push("b", "b", SmallVec::new(), 1);
        assert_eq!(second.slot, first.slot);
        assert_ne!(second.gen, first.gen);
        assert_eq!(arena.node(second).map(|n| n.kind), Some("b"));
        assert_eq!(arena.live(), 1);
    }

    #[test]
    fn a_chain_is_freed_with_its_last_handle_and_deferred_kinds_are_returned() {
        let mut arena: Arena<u32> = Arena::new();
        let root = arena.push("leaf", 7, SmallVec::new(), 1);
        let mut last = arena.push("op", 0, smallvec![Some(root)], 1);
        for _ in 0..10_000 {
            let next = arena.push("op", 0, smallvec![Some(last)], 1);
            let none = arena.decref(last, |_| false);
            assert!(none.is_empty(), "still referenced by the next node");
            last = next;
        }
        let root_only = arena.decref(root, |&k| k == 7);
        assert!(root_only.is_empty(), "the chain still holds the root");
        let deferred = arena.decref(last, |&k| k == 7);
        assert_eq!(deferred.as_slice(), &[7]);
        assert_eq!(arena.live(), 0);
    }
}
