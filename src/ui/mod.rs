//! The page: Yew components drawing a `ClusterView` and sending `Command`s.
pub fn start() {}
