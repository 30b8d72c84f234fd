//! The page's model, without Yew or web-sys: the session (one running `Sim` with its
//! history, scenario playback, time travel) and the page's options (URL parameters and
//! `mount()` options). Compiled and unit-tested natively; `crate::ui` draws it.

pub mod options;
pub mod session;
