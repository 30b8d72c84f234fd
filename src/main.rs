//! The page binary (`raftlab-page`): built for wasm32 by trunk (see index.html).

#[cfg(target_arch = "wasm32")]
fn main() {
    raftlab::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("raftlab-page is the web page: build it with `trunk build` (or serve it with `trunk serve`)");
}
