//! The page's model, without Yew or web-sys: the session (one running `Sim` with its
//! history, scenario playback, time travel), the page's state and actions (`page`: a pure
//! reducer), the page's options (URL parameters and `mount()` options) and the bridge a
//! `mount()` handle reaches its page through. Compiled and unit-tested natively;
//! `crate::ui` draws it.

pub mod action;
pub mod bridge;
pub mod challenge;
pub mod events;
pub mod explain;
pub mod options;
pub mod page;
pub mod session;
