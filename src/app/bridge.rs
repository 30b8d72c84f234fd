//! The link between a `mount()` handle and the page it mounted: the page fills it in on
//! its first render (how to dispatch an `Action`, and the session to read). One per
//! instance (no global state). Without Yew: the dispatcher is any function of an action.

use std::cell::RefCell;
use std::rc::Rc;

use super::action::Action;
use super::events::PageEvent;
use super::session::Session;

/// Where a page's events go (`app::events`).
pub type EventSink = Rc<dyn Fn(&PageEvent)>;

#[derive(Clone, Default)]
pub struct Bridge(pub Rc<RefCell<BridgeInner>>);

#[derive(Default)]
pub struct BridgeInner {
    pub dispatch: Option<Rc<dyn Fn(Action)>>,
    pub session: Option<Rc<RefCell<Session>>>,
    /// Actions asked for before the page rendered.
    pub pending: Vec<Action>,
    /// Told the page's events (`app::events`), when the host listens (`<raft-cluster>`).
    pub on_event: Option<EventSink>,
}

impl Bridge {
    /// Dispatches now, or as soon as the page has rendered.
    pub fn send(&self, a: Action) {
        let mut b = self.0.borrow_mut();
        match &b.dispatch {
            Some(d) => {
                let d = d.clone();
                drop(b);
                d(a);
            }
            None => b.pending.push(a),
        }
    }
}

impl PartialEq for Bridge {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::fmt::Debug for Bridge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Bridge")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_sent_before_the_page_renders_wait_for_it() {
        let b = Bridge::default();
        b.send(Action::Pause);
        assert_eq!(b.0.borrow().pending, vec![Action::Pause]);
        let got = Rc::new(RefCell::new(Vec::new()));
        let g = got.clone();
        b.0.borrow_mut().dispatch = Some(Rc::new(move |a| g.borrow_mut().push(a)));
        b.send(Action::Play);
        assert_eq!(*got.borrow(), vec![Action::Play]);
    }
}
