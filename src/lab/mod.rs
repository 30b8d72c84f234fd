//! The lab: tools that run many simulations and judge them: the fuzzer, the
//! linearizability checker, the election-timing experiment, the benchmarks.

pub mod bench;
pub mod experiment;
pub mod fuzz;
pub mod linearizability;
