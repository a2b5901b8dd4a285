//! Whole-model graph passes: recursion, reachability and operation subsets.
//!
//! Recursion is decided once here, not while emitting: a structure member needs indirection
//! exactly when its target sits in the same strongly connected component of the *direct
//! containment* graph (structure or union member to structure or union). Lists and maps are
//! already heap-allocated, so a cycle through one of them needs nothing. Boxing every
//! intra-component edge (rather than a minimal feedback set) keeps the decision stable when a
//! new model version adds shapes elsewhere in the cycle.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{MemberRef, Service, ShapeId, ShapeKind};

/// Sets [`Member::needs_indirection`](crate::ir::Member::needs_indirection) on every member that
/// closes a cycle of direct containment.
pub(crate) fn mark_indirections(service: &mut Service) {
    let component = strongly_connected_components(service);
    for index in 0..service.shapes.len() {
        let owner_component = component[index];
        let targets: Vec<bool> = match &service.shapes[index].kind {
            ShapeKind::Structure(structure) => structure
                .members
                .iter()
                .map(|member| {
                    is_direct(service, member.target)
                        && component[member.target.index()] == owner_component
                })
                .collect(),
            _ => continue,
        };
        if let ShapeKind::Structure(structure) = &mut service.shapes[index].kind {
            for (member, needs) in structure.members.iter_mut().zip(targets) {
                member.needs_indirection = needs;
            }
        }
    }
}

/// Whether a value of this shape is stored inline in its parent (structures and unions are).
fn is_direct(service: &Service, id: ShapeId) -> bool {
    matches!(service.shape(id).kind, ShapeKind::Structure(_))
}

fn direct_edges(service: &Service, index: usize) -> Vec<usize> {
    match &service.shapes[index].kind {
        ShapeKind::Structure(structure) => structure
            .members
            .iter()
            .filter(|member| is_direct(service, member.target))
            .map(|member| member.target.index())
            .collect(),
        _ => Vec::new(),
    }
}

/// Tarjan's algorithm, iterative so that a hostile, deeply nested model cannot overflow the stack.
/// Returns the component number of every shape.
fn strongly_connected_components(service: &Service) -> Vec<usize> {
    const UNVISITED: usize = usize::MAX;
    let count = service.shapes.len();
    let edges: Vec<Vec<usize>> = (0..count).map(|i| direct_edges(service, i)).collect();
    let mut order = vec![UNVISITED; count];
    let mut low = vec![0; count];
    let mut on_stack = vec![false; count];
    let mut component = vec![UNVISITED; count];
    let mut stack = Vec::new();
    let mut next_order = 0;
    let mut next_component = 0;
    for root in 0..count {
        if order[root] != UNVISITED {
            continue;
        }
        // Each frame is (node, index of the next edge to follow).
        let mut frames = vec![(root, 0usize)];
        order[root] = next_order;
        low[root] = next_order;
        next_order += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(frame) = frames.last_mut() {
            let (node, edge) = *frame;
            if let Some(&next) = edges[node].get(edge) {
                frame.1 += 1;
                if order[next] == UNVISITED {
                    order[next] = next_order;
                    low[next] = next_order;
                    next_order += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    frames.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(order[next]);
                }
                continue;
            }
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == order[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// Every shape reachable from the given roots, through members, list members and map entries.
pub fn reachable_shapes(
    service: &Service,
    roots: impl IntoIterator<Item = ShapeId>,
) -> BTreeSet<ShapeId> {
    let mut seen = BTreeSet::new();
    let mut pending: Vec<ShapeId> = roots.into_iter().collect();
    while let Some(id) = pending.pop() {
        if !seen.insert(id) {
            continue;
        }
        match &service.shape(id).kind {
            ShapeKind::Structure(structure) => {
                pending.extend(structure.members.iter().map(|member| member.target));
            }
            ShapeKind::List { member, .. } => pending.push(member.target),
            ShapeKind::Map { key, value, .. } => {
                pending.push(key.target);
                pending.push(value.target);
            }
            _ => {}
        }
    }
    seen
}

/// Operation names that are not in the model, from [`Service::subset`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown operation{}: {}", if .0.len() == 1 { "" } else { "s" }, .0.join(", "))]
pub struct UnknownOperations(pub Vec<String>);

impl Service {
    /// The shapes reachable from any operation's input, output or errors.
    pub fn operation_shapes(&self) -> BTreeSet<ShapeId> {
        let roots = self.operations.values().flat_map(|operation| {
            operation
                .input
                .into_iter()
                .chain(operation.output)
                .chain(operation.errors.iter().copied())
        });
        reachable_shapes(self, roots)
    }

    /// A model with only the named operations and the shapes they reach (shapes that no
    /// operation reaches are dropped too). Paginators and waiters of the kept operations are kept.
    pub fn subset(&self, operation_names: &[&str]) -> Result<Service, UnknownOperations> {
        let unknown: Vec<String> = operation_names
            .iter()
            .filter(|name| !self.operations.contains_key(**name))
            .map(|name| (*name).to_owned())
            .collect();
        if !unknown.is_empty() {
            return Err(UnknownOperations(unknown));
        }
        let mut subset = self.clone();
        subset
            .operations
            .retain(|name, _| operation_names.contains(&name.as_str()));
        subset
            .paginators
            .retain(|name, _| subset.operations.contains_key(name));
        subset
            .waiters
            .retain(|_, waiter| subset.operations.contains_key(&waiter.operation));
        let kept = subset.operation_shapes();
        let renumber: BTreeMap<ShapeId, ShapeId> = kept
            .iter()
            .enumerate()
            .map(|(new, old)| (*old, ShapeId(new as u32)))
            .collect();
        let remap = |id: &mut ShapeId| *id = renumber[id];
        let remap_ref = |member: &mut MemberRef| member.target = renumber[&member.target];
        subset.shapes = kept.iter().map(|id| self.shape(*id).clone()).collect();
        for shape in &mut subset.shapes {
            match &mut shape.kind {
                ShapeKind::Structure(structure) => {
                    for member in &mut structure.members {
                        remap(&mut member.target);
                    }
                }
                ShapeKind::List { member, .. } => remap_ref(member),
                ShapeKind::Map { key, value, .. } => {
                    remap_ref(key);
                    remap_ref(value);
                }
                _ => {}
            }
        }
        for operation in subset.operations.values_mut() {
            operation.input.iter_mut().for_each(remap);
            operation.output.iter_mut().for_each(remap);
            operation.errors.iter_mut().for_each(remap);
        }
        Ok(subset)
    }
}
