//! The parser's events and the tree they build. A node is started before its first token and
//! finished after its last; `precede` wraps a finished node in a new one started before it
//! (`a` becomes the object of `a.b`), as rust-analyzer's parser does.
//!
//! Comments and line continuations are placed as tree-sitter places its extras: in the deepest
//! node that has a token (hidden ones, such as the newline ending a statement, included) both
//! before and after them. They wait until the next token or node start, and go into the node
//! open then.

use crate::tree::{self, Tree};

#[derive(Debug, Clone, Copy)]
pub(super) enum Event {
    Start {
        kind: u16,
        named: bool,
        field: u8,
        /// How many events later the node that wraps this one starts; 0 for none.
        forward: u32,
    },
    Finish,
    /// A token: a leaf node of `kind`, or hidden when `kind` is 0.
    Token {
        kind: u16,
        named: bool,
        field: u8,
        start: u32,
        end: u32,
        /// As a start's: a leaf can be wrapped too (`a` in `a.b`).
        forward: u32,
    },
    /// A comment or a line continuation.
    Extra {
        kind: u16,
        start: u32,
        end: u32,
    },
    /// A start that was abandoned: its children belong to the node around it.
    Tombstone,
}

/// A started node or a leaf: the index of its start or token event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Marker(u32);

impl Marker {
    pub(super) fn at(index: usize) -> Marker {
        Marker(index as u32)
    }
}

pub(super) fn start(events: &mut Vec<Event>) -> Marker {
    events.push(Event::Start {
        kind: 0,
        named: true,
        field: 0,
        forward: 0,
    });
    Marker(events.len() as u32 - 1)
}

pub(super) fn complete(events: &mut Vec<Event>, marker: Marker, new_kind: u16) -> Marker {
    if let Event::Start { kind, .. } = &mut events[marker.0 as usize] {
        *kind = new_kind;
    }
    events.push(Event::Finish);
    marker
}

/// Drops a started node that turned out not to be one (a bare name where a parameter node
/// might have been).
pub(super) fn abandon(events: &mut [Event], marker: Marker) {
    events[marker.0 as usize] = Event::Tombstone;
}

/// Makes a finished node an anonymous one (`not in`).
pub(super) fn set_anonymous(events: &mut [Event], marker: Marker) {
    if let Event::Start { named, .. } = &mut events[marker.0 as usize] {
        *named = false;
    }
}

pub(super) fn precede(events: &mut Vec<Event>, marker: Marker) -> Marker {
    let outer = start(events);
    match &mut events[marker.0 as usize] {
        Event::Start { forward, .. } | Event::Token { forward, .. } => {
            *forward = outer.0 - marker.0;
        }
        _ => {}
    }
    outer
}

pub(super) fn set_field(events: &mut [Event], marker: Marker, new_field: u8) {
    match &mut events[marker.0 as usize] {
        Event::Start { field, .. } | Event::Token { field, .. } => *field = new_field,
        _ => {}
    }
}

pub(super) fn kind_of(events: &[Event], marker: Marker) -> u16 {
    match events[marker.0 as usize] {
        Event::Start { kind, .. } | Event::Token { kind, .. } => kind,
        _ => 0,
    }
}

/// A node being built: its index in the tree and the range of its children so far.
struct Open {
    index: u32,
    start: Option<u32>,
    end: u32,
}

impl Open {
    fn widen(&mut self, start: u32, end: u32) {
        self.start.get_or_insert(start);
        self.end = self.end.max(end);
    }
}

pub(super) fn build(events: &[Event], text_len: usize) -> Tree {
    let mut tree = Tree::with_capacity(events.len());
    let mut open: Vec<Open> = Vec::new();
    let mut extras: Vec<(u16, u32, u32)> = Vec::new();
    let mut forwarded = vec![false; events.len()];
    let mut chain: Vec<usize> = Vec::new();
    let flush = |tree: &mut Tree, open: &mut Vec<Open>, extras: &mut Vec<(u16, u32, u32)>| {
        if let Some(top) = open.last_mut() {
            for (kind, start, end) in extras.drain(..) {
                tree.push_leaf(kind, 0, tree::NAMED | tree::EXTRA, start, end, top.index);
                top.widen(start, end);
            }
        }
    };
    for (i, event) in events.iter().enumerate() {
        match *event {
            Event::Start { .. } if forwarded[i] => {}
            Event::Start { .. } | Event::Token { .. } => {
                // The nodes that wrap this one, outermost last.
                chain.clear();
                let mut j = i;
                loop {
                    let forward = match events[j] {
                        Event::Start { forward, .. } | Event::Token { forward, .. } => forward,
                        _ => 0,
                    };
                    if forward == 0 {
                        break;
                    }
                    j += forward as usize;
                    forwarded[j] = true;
                    chain.push(j);
                }
                flush(&mut tree, &mut open, &mut extras);
                let own = matches!(event, Event::Start { .. }).then_some(i);
                for &j in chain.iter().rev().chain(own.iter()) {
                    let Event::Start {
                        kind, named, field, ..
                    } = events[j]
                    else {
                        unreachable!("only starts wrap")
                    };
                    let parent = open.last().map_or(tree::NONE, |top| top.index);
                    let flags = if named { tree::NAMED } else { 0 };
                    let index = tree.push_open(kind, field, flags, parent);
                    open.push(Open {
                        index,
                        start: None,
                        end: 0,
                    });
                }
                if let Event::Token {
                    kind,
                    named,
                    field,
                    start,
                    end,
                    ..
                } = *event
                {
                    let top = open.last_mut().expect("tokens are inside the module");
                    if kind != 0 {
                        let flags = if named { tree::NAMED } else { 0 };
                        tree.push_leaf(kind, field, flags, start, end, top.index);
                    }
                    top.widen(start, end);
                }
            }
            Event::Finish => {
                if open.len() == 1 {
                    flush(&mut tree, &mut open, &mut extras);
                }
                let node = open.pop().expect("every finish has a start");
                let start = node.start.unwrap_or(node.end);
                let end = if open.is_empty() {
                    text_len as u32
                } else {
                    node.end
                };
                tree.close(node.index, start, end);
                if let Some(top) = open.last_mut() {
                    top.widen(start, end);
                }
            }
            Event::Extra { kind, start, end } => extras.push((kind, start, end)),
            Event::Tombstone => {}
        }
    }
    tree
}
