//! Leadership transfer.

use super::*;

#[test]
fn transfer_to_an_up_to_date_follower_sends_timeout_now_and_blocks_writes() {
    let mut l = leader3_committed();
    ack(&mut l, 3, 1);
    let out = l.step(Input::Admin(Admin::Transfer(2)));
    assert_eq!(l.transfer, Some(2));
    assert!(
        timer_set(&out, Timer::Election),
        "the transfer has one election timeout"
    );
    assert_eq!(kinds(&out), vec![("timeout_now", 2)]);
    assert_eq!(sends(&out)[0].term, 1);
    // Writes and configuration changes are not accepted during the transfer.
    let out = l.step(put(1, "x", "1"));
    assert!(replies(&out).is_empty());
    assert!(notes(&out)
        .iter()
        .any(|n| matches!(n, Note::ProposalDropped { .. })));
    let out = l.step(request(1, 2, ClientOp::Add { server: 4 }));
    assert!(notes(&out)
        .iter()
        .any(|n| matches!(n, Note::ProposalDropped { .. })));
    assert_eq!(l.log().last_index(), 1);
    assert!(l.catch_up.is_none());
    // The election timer fires before the target took over: abort, writes resume.
    let out = fire(&mut l, Timer::Election);
    assert_eq!(l.transfer, None);
    assert!(notes(&out).contains(&Note::TransferAborted { to: 2 }));
    assert_eq!(l.role, Role::Leader);
    l.step(put(1, "x", "1"));
    assert_eq!(l.log().last_index(), 2);
}

#[test]
fn transfer_to_a_lagging_follower_catches_it_up_first() {
    let mut l = leader3_committed();
    let out = l.step(Input::Admin(Admin::Transfer(3)));
    assert_eq!(
        kinds(&out),
        vec![("append", 3)],
        "no TimeoutNow before s3 is up to date"
    );
    let out = ack(&mut l, 3, 1);
    assert_eq!(kinds(&out), vec![("timeout_now", 3)]);
    // Once the target wins, the old leader follows the new term.
    deliver(&mut l, 3, 2, heartbeat(1, 1, 1));
    assert_eq!(
        (l.role, l.leader, l.transfer),
        (Role::Follower, Some(3), None)
    );
}

#[test]
fn transfer_to_self_or_a_non_voter_is_refused() {
    let mut l = leader3_committed();
    let out = l.step(Input::Admin(Admin::Transfer(1)));
    assert!(matches!(
        notes(&out)[..],
        [Note::TransferRefused { to: 1, .. }]
    ));
    let out = l.step(Input::Admin(Admin::Transfer(7)));
    assert!(matches!(
        notes(&out)[..],
        [Note::TransferRefused { to: 7, .. }]
    ));
    assert_eq!(l.transfer, None);
    // A follower ignores transfer requests.
    let mut f = node(2, 3);
    assert!(f.step(Input::Admin(Admin::Transfer(3))).is_empty());
}

#[test]
fn timeout_now_makes_the_target_campaign_at_once_past_the_lease() {
    let opts = Options {
        prevote: true,
        check_quorum: true,
        ..Options::default()
    };
    let mut t = node_with(2, 3, 1, None, &[1], opts);
    deliver(&mut t, 1, 1, heartbeat(1, 1, 1));
    let out = deliver(&mut t, 1, 1, Body::TimeoutNow);
    assert_eq!(t.role, Role::Candidate, "no pre-vote phase for a transfer");
    assert_eq!(t.term(), 2);
    let ms = sends(&out);
    assert_eq!(ms.len(), 2);
    assert!(ms.iter().all(|m| m.term == 2
        && m.body
            == Body::Vote {
                last_index: 1,
                last_term: 1,
                transfer: true
            }));
    // Another follower in its lease grants it; so does the old leader.
    let mut other = node_with(3, 3, 1, None, &[1], opts);
    deliver(&mut other, 1, 1, heartbeat(1, 1, 1));
    assert!(other.in_lease());
    let to3 = ms.iter().find(|m| m.to == 3).unwrap().body.clone();
    let out = deliver(&mut other, 2, 2, to3);
    assert_eq!(vote_reply(&out, 2), (2, true, None));
    let mut old = leader_of(1, 3, 0, &[], opts);
    let out = deliver(&mut old, 2, 2, ms[0].body.clone());
    assert_eq!(old.role, Role::Follower);
    assert_eq!(vote_reply(&out, 2), (2, true, None));
}

#[test]
fn transfer_end_to_end() {
    let opts = check_quorum();
    let l = leader_of(1, 3, 0, &[], opts);
    let f2 = node_with(2, 3, 0, None, &[], opts);
    let f3 = node_with(3, 3, 0, None, &[], opts);
    let mut net = Net::new(vec![l, f2, f3]);
    net.step(1, Input::Timer(Timer::Heartbeat));
    assert_eq!(net.node(1).commit, 1);
    net.step(1, Input::Admin(Admin::Transfer(3)));
    assert_eq!(net.node(3).role, Role::Leader);
    assert_eq!(net.node(3).term(), 2);
    assert_eq!(net.node(1).role, Role::Follower);
    assert_eq!(net.node(2).leader, Some(3));
    assert_eq!(net.node(3).commit, 2, "the new leader committed its no-op");
}

#[test]
fn repeated_transfer_to_the_same_target_is_ignored() {
    let mut l = leader3_committed();
    l.step(Input::Admin(Admin::Transfer(2)));
    assert!(l.step(Input::Admin(Admin::Transfer(2))).is_empty());
    assert_eq!(l.transfer, Some(2));
}
