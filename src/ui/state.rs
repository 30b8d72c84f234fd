//! The Yew side of the page's state: a thin `Reducible` shim over `crate::app::page`.
//! `AppState` is the page's `PageState` (what components draw) plus the `Session` it acts
//! on; `reduce` hands both to `PageState::reduce`, the same function the native tests
//! drive. The session is shared (`Rc<RefCell<…>>`, it is too big to copy per action) with
//! the `mount()` bridge, which only reads it.

use std::cell::RefCell;
use std::ops::Deref;
use std::rc::Rc;

use yew::Reducible;

pub use crate::app::bridge::Bridge;
pub use crate::app::options::{StartConfig, SPEED_DEFAULT, SPEED_MAX, SPEED_MIN};
pub use crate::app::page::{
    is_export, outcome_text, Action, PageState, ScenarioInfo, Tab, TermMark,
};
use crate::app::session::Session;

#[derive(Clone)]
pub struct AppState {
    page: PageState,
    session: Rc<RefCell<Session>>,
}

impl AppState {
    pub fn new(cfg: &StartConfig) -> AppState {
        let (page, session) = PageState::new(cfg);
        AppState {
            page,
            session: Rc::new(RefCell::new(session)),
        }
    }

    /// The session, for the `mount()` bridge (which reads it).
    pub fn session(&self) -> Rc<RefCell<Session>> {
        self.session.clone()
    }

    /// The run so far as a scenario file.
    pub fn export(&self) -> String {
        self.session.borrow().export()
    }
}

impl Deref for AppState {
    type Target = PageState;
    fn deref(&self) -> &PageState {
        &self.page
    }
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        self.page == other.page
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut page = self.page.clone();
        page.reduce(&mut self.session.borrow_mut(), action);
        Rc::new(AppState {
            page,
            session: self.session.clone(),
        })
    }
}
