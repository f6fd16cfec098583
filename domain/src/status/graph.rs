//! The events of a case as a causal graph, in a deterministic order.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};

use crate::event::Event;

/// The events as a causal graph, in a deterministic topological order.
pub(super) struct Graph<'a> {
    pub(super) events: Vec<&'a Event>,
    pub(super) order: Vec<usize>,
    ancestors: Vec<HashSet<usize>>,
    index: HashMap<&'a str, usize>,
    /// Events whose `after` names an unknown event or is part of a cycle.
    pub(super) dangling: HashSet<usize>,
}

impl<'a> Graph<'a> {
    pub(super) fn new(input: impl IntoIterator<Item = &'a Event>) -> Graph<'a> {
        let mut events: Vec<&Event> = input.into_iter().collect();
        events.sort_by(|a, b| (a.at_ms, &a.id).cmp(&(b.at_ms, &b.id)));
        events.dedup_by(|a, b| a.id == b.id);
        let index: HashMap<&str, usize> = events.iter().enumerate().map(|(i, e)| (e.id.as_str(), i)).collect();
        let mut dangling = HashSet::new();
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); events.len()];
        let mut waiting: Vec<usize> = vec![0; events.len()];
        for (i, e) in events.iter().enumerate() {
            for parent in &e.after {
                match index.get(parent.as_str()) {
                    Some(&p) if p != i => {
                        children[p].push(i);
                        waiting[i] += 1;
                    }
                    _ => {
                        dangling.insert(i);
                    }
                }
            }
        }
        // Kahn's algorithm; ties broken by (device time, id) so the order
        // depends only on the set of events.
        let mut ready: BinaryHeap<Reverse<usize>> =
            (0..events.len()).filter(|&i| waiting[i] == 0).map(Reverse).collect();
        let mut order = Vec::with_capacity(events.len());
        let mut ancestors: Vec<HashSet<usize>> = vec![HashSet::new(); events.len()];
        while let Some(Reverse(i)) = ready.pop() {
            order.push(i);
            for &c in &children[i] {
                let mut inherited = ancestors[i].clone();
                inherited.insert(i);
                ancestors[c].extend(inherited);
                waiting[c] -= 1;
                if waiting[c] == 0 {
                    ready.push(Reverse(c));
                }
            }
        }
        // What is left sits on a cycle: list it last, refused.
        for (i, _) in waiting.iter().enumerate().filter(|(_, w)| **w > 0) {
            order.push(i);
            dangling.insert(i);
        }
        Graph { events, order, ancestors, index, dangling }
    }

    pub(super) fn is_ancestor(&self, ancestor: usize, of: usize) -> bool {
        self.ancestors[of].contains(&ancestor)
    }

    pub(super) fn ancestor_by_id(&self, ancestor: &str, of: usize) -> bool {
        self.index.get(ancestor).is_some_and(|&a| self.is_ancestor(a, of))
    }
}
