//! The event feed: what happened, in sentences, with its moment.

use crate::raft::ServerId;

use super::network::{Addr, Packet, Payload};
use super::time::Micros;

/// Feed items kept for the page (older ones are dropped).
pub const FEED_KEEP: usize = 400;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedKind {
    /// Role and term changes.
    Role,
    Vote,
    Log,
    Commit,
    Snapshot,
    Config,
    Transfer,
    Client,
    /// Something the user or the scenario did.
    Action,
    /// A message delivered or lost (only when tracing).
    Message,
    Safety,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FeedItem {
    pub seq: u64,
    pub time_us: Micros,
    pub server: Option<ServerId>,
    pub kind: FeedKind,
    pub text: String,
}

/// One line about a packet: `append s1→s2 t3 ...` or `client → s2: put x 1`.
pub fn describe_packet(p: &Packet) -> String {
    match &p.payload {
        Payload::Raft(m) => m.describe(),
        Payload::Request(r) => match p.to {
            Addr::Server(s) => format!("client→s{s} #{} {}", r.request, r.op),
            Addr::Client => String::new(),
        },
        Payload::Reply(r) => match p.from {
            Addr::Server(s) => format!("s{s}→client #{} {:?}", r.request, r.result),
            Addr::Client => String::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use crate::raft::{Note, Role};
    use crate::sim::checker::{Property, Violation};
    use crate::sim::time::SECOND;
    use crate::sim::{Command, Setup, Sim};
    use crate::text::{set_lang, Lang};

    /// In Chinese, what a person reads is translated (the feed, refusals, errors, the
    /// client's hops, flow control), while the words the page's hooks, the trace and the
    /// host page read stay English.
    #[test]
    fn chinese_feed_and_errors_keep_the_machine_words_english() {
        crate::text::load_zh_from_sources();
        set_lang(Lang::Zh);
        let mut sim = Sim::new(&Setup::default());
        sim.run_until(2 * SECOND);
        let l = sim.leader().expect("a leader");
        let texts: Vec<String> = sim.feed.iter().map(|f| f.text.clone()).collect();
        assert!(texts.iter().any(|t| t.ends_with("成为领导者")), "{texts:?}");
        assert!(
            texts.iter().any(|t| t.contains("的选票投给了 s")),
            "{texts:?}"
        );
        sim.apply(Command::Crash(l)).unwrap();
        assert_eq!(sim.feed.back().unwrap().text, format!("s{l} 崩溃了"));
        let e = sim.apply(Command::Crash(l)).unwrap_err();
        assert_eq!(e.to_string(), format!("s{l} 已崩溃"));
        sim.apply(Command::Put("x".into(), "1".into())).unwrap();
        sim.run_until(4 * SECOND);
        let hops = &sim.client.history[0].path;
        assert!(
            hops.iter()
                .any(|h| h.why == "首次尝试" || h.why.contains("重定向")),
            "{hops:?}"
        );
        // The hooks' words.
        assert_eq!(sim.role_name(l), Some("crashed"));
        assert_eq!(Role::Leader.as_str(), "leader");
        assert_eq!(Role::Leader.to_string(), "leader");
        assert_eq!(Role::PreCandidate.label(), "预候选人");
        let v = Violation {
            property: Property::ElectionSafety,
            servers: vec![1, 2],
            detail: "d".into(),
            time_us: 0,
        };
        assert_eq!(v.to_string(), "safety violation: election safety: d");
        assert_eq!(v.text(), "违反安全性：选举安全性：d");
        let n = Note::VoteIgnored {
            candidate: 3,
            pre: true,
        };
        assert_eq!(
            n.to_string(),
            "忽略了 s3 的预投票请求：最近刚收到过领导者的消息"
        );
        set_lang(Lang::En);
        assert_eq!(
            n.to_string(),
            "ignored pre-vote request from s3: heard from the leader recently"
        );
        assert_eq!(v.text(), v.to_string());
    }
}
