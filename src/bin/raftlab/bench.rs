//! `raftlab bench`: simulated events per second and time-travel seek time.

pub fn bench(seconds: u64, rounds: u32) -> i32 {
    use raftlab::lab::bench::{catch_up, message_cost, recorded_run, seek_points, throughput};
    use std::time::Instant;
    let mut best = f64::INFINITY;
    let mut sim = None;
    for _ in 0..rounds {
        let t0 = Instant::now();
        let s = throughput(seconds);
        best = best.min(t0.elapsed().as_secs_f64());
        sim = Some(s);
    }
    let (sim, secs) = (sim.expect("at least one round"), best);
    let done = sim
        .client
        .history
        .iter()
        .filter(|o| o.completed_us.is_some())
        .count();
    println!(
        "throughput: {} events in {:.3} s = {:.2} M events/s native (5 servers, {} s virtual, a put every 20 ms, {} completed; fastest of {} runs)",
        sim.events,
        secs,
        sim.events as f64 / secs / 1e6,
        seconds,
        done,
        rounds
    );
    println!("messages, the workload above: {}", message_cost(&sim).2);
    let lagging = catch_up(30);
    println!(
        "messages, a follower down 10 s catching up over a slow network (5 servers, 40-60 ms latency, 30 s): {}; snapshots to s5: {}",
        message_cost(&lagging).2,
        lagging.network.sent_count("snapshot", Some(5))
    );
    let hour = 3_600u64;
    let t0 = Instant::now();
    let (sim, h) = recorded_run(hour);
    let record = t0.elapsed().as_secs_f64();
    let (mut worst, mut total, seeks) = (0f64, 0f64, 50u64);
    for t in seek_points(hour * 1_000_000, seeks) {
        let t1 = Instant::now();
        let s = h.seek(t);
        let ms = t1.elapsed().as_secs_f64() * 1000.0;
        assert!(s.now >= t);
        worst = worst.max(ms);
        total += ms;
    }
    println!(
        "seek: 1 h virtual run ({} events, recorded in {:.2} s, {} inputs, a checkpoint every {} s); {} seeks: mean {:.2} ms, max {:.2} ms native",
        sim.events,
        record,
        h.inputs.len(),
        h.every_us / 1_000_000,
        seeks,
        total / seeks as f64,
        worst
    );
    0
}
