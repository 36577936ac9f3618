//! A simulated device for the fault test (`tests/fault.rs`) and the load example
//! (`examples/load.rs`): marks stamped with the device's own clock, sent in sync batches and
//! settled the way `app/src/client/sync.rs` does it (a mark is done only when confirmed).

// Each user takes only part of this module, and compiles it on its own.
#![allow(dead_code)]

use std::time::Duration;

use app::model::sync::{change_json, Batch, PROTOCOL};
use app::model::{BatchReply, ChangeStatus, Hlc, Mark, Record};
use serde_json::Value;
use uuid::Uuid;

/// Milliseconds since the epoch, as a device's wall clock reads them.
pub fn now_ms() -> i64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("the system clock is after 1970");
    i64::try_from(since.as_millis()).expect("milliseconds fit in i64")
}

/// A small seeded generator (splitmix64): schedules are reproducible from the printed seed,
/// and no random-number crate is added to the tree for a test.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
    /// A number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn coin(&mut self) -> bool {
        self.next_u64() & 1 == 1
    }
    pub fn uuid(&mut self) -> Uuid {
        let bits = (u128::from(self.next_u64()) << 64) | u128::from(self.next_u64());
        // Shaped as a v4 UUID, like the ids devices make.
        uuid::Builder::from_random_bytes(bits.to_be_bytes()).into_uuid()
    }
}

/// Where a device draws: a barrio, and a point near the middle of its bounding box (the
/// server accepts marks within the box grown by about 1 km).
#[derive(Debug, Clone, Copy)]
pub struct Place {
    pub barrio_id: i64,
    pub lon: f64,
    pub lat: f64,
}

/// The seeded barrios' places, in the order the API lists them; `code` first when given.
pub async fn places(client: &reqwest::Client, url: &str, code: Option<&str>, count: usize) -> Result<Vec<Place>, String> {
    let list: Vec<Value> = get_json(client, &format!("{url}/api/v1/barrios")).await?;
    let mut ids: Vec<i64> = list.iter().filter_map(|b| b["id"].as_i64()).collect();
    if let Some(code) = code {
        let id = list.iter().find(|b| b["code"] == code).and_then(|b| b["id"].as_i64()).ok_or(format!("no barrio {code:?} in the seed"))?;
        ids.retain(|i| *i != id);
        ids.insert(0, id);
    }
    let mut out = Vec::new();
    for id in ids.into_iter().take(count) {
        let barrio: Value = get_json(client, &format!("{url}/api/v1/barrios/{id}")).await?;
        let (mut xs, mut ys) = (Vec::new(), Vec::new());
        collect(&barrio["boundary"]["coordinates"], &mut xs, &mut ys);
        if xs.is_empty() {
            return Err(format!("barrio {id} has no boundary: {barrio}"));
        }
        let mid = |v: &[f64]| (v.iter().copied().fold(f64::INFINITY, f64::min) + v.iter().copied().fold(f64::NEG_INFINITY, f64::max)) / 2.0;
        out.push(Place { barrio_id: id, lon: mid(&xs), lat: mid(&ys) });
    }
    Ok(out)
}

async fn get_json<T: serde::de::DeserializeOwned>(client: &reqwest::Client, url: &str) -> Result<T, String> {
    let res = client.get(url).send().await.map_err(|e| format!("GET {url}: {e}"))?;
    let status = res.status();
    if !status.is_success() {
        return Err(format!("GET {url}: {status}"));
    }
    res.json().await.map_err(|e| format!("GET {url}: {e}"))
}

fn collect(v: &Value, xs: &mut Vec<f64>, ys: &mut Vec<f64>) {
    match v.as_array() {
        Some(a) if a.len() >= 2 && a[0].is_number() => {
            xs.extend(a[0].as_f64());
            ys.extend(a[1].as_f64());
        }
        Some(a) => a.iter().for_each(|x| collect(x, xs, ys)),
        None => {}
    }
}

/// A device: its id, and its hybrid logical clock, ticked for every mark it makes.
#[derive(Debug, Clone)]
pub struct Device {
    pub id: Uuid,
    node: String,
    clock: Option<Hlc>,
    made: u64,
}

impl Device {
    pub fn new(id: Uuid) -> Device {
        Device { id, node: id.simple().to_string(), clock: None, made: 0 }
    }

    /// A new point mark at `place` (spread a few metres so marks differ), stamped as the
    /// device saves it.
    pub fn mark(&mut self, id: Uuid, place: Place) -> Record {
        let now = now_ms();
        let n = self.made;
        self.made += 1;
        let (dx, dy) = ((n % 97) as f64 * 1e-5, (n / 97 % 97) as f64 * 1e-5);
        let mark = Mark {
            description: format!("marca {n} de {}", self.node),
            ..Mark::new_point(id, place.barrio_id, "hurto_personas", place.lon + dx, place.lat + dy, now)
        };
        let hlc = Hlc::tick(self.clock.as_ref(), now, &self.node);
        self.clock = Some(hlc.clone());
        Record::Mark(mark).stamped(hlc, None)
    }

    /// The JSON body of a batch of `records` under `submission`.
    pub fn batch(&self, submission: Uuid, records: &[Record]) -> String {
        let batch = Batch {
            protocol: PROTOCOL,
            submission_id: submission,
            device_id: self.id,
            workshop_id: None,
            changes: records.iter().map(change_json).collect(),
        };
        serde_json::to_string(&batch).expect("a batch serialises")
    }
}

/// What came back for one POST of a batch.
#[derive(Debug)]
pub enum Sent {
    /// 200 with a reply that reads as one.
    Reply(BatchReply),
    /// Any other status, or a 200 whose body is no reply, with the body.
    Status(u16, String),
    /// No answer: the connection failed or broke, or the time ran out.
    Transport(String),
}

/// POSTs a batch body to `{url}/api/v1/sync`.
pub async fn send(client: &reqwest::Client, url: &str, body: String) -> Sent {
    let res = client.post(format!("{url}/api/v1/sync")).header("Content-Type", "application/json").body(body).send().await;
    let res = match res {
        Ok(res) => res,
        Err(e) => return Sent::Transport(describe(&e)),
    };
    let status = res.status().as_u16();
    // A reply cut off mid-body is no answer either: the device must send again.
    let text = match res.text().await {
        Ok(text) => text,
        Err(e) => return Sent::Transport(describe(&e)),
    };
    if status != 200 {
        return Sent::Status(status, text);
    }
    match serde_json::from_str(&text) {
        Ok(reply) => Sent::Reply(reply),
        Err(e) => Sent::Status(status, format!("{e}: {text}")),
    }
}

/// The error with its causes: reqwest's own message hides whether the connection was refused
/// or reset.
fn describe(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// The status of each record of a batch, when the reply confirms every one of them (its id,
/// version and clock); otherwise why not. Like the app, a device takes a record out of its
/// queue only on such a confirmation.
pub fn settle(records: &[Record], reply: &BatchReply, submission: Uuid) -> Result<Vec<ChangeStatus>, String> {
    if reply.submission_id != submission {
        return Err(format!("the reply names submission {} instead of {submission}", reply.submission_id));
    }
    if reply.results.len() != records.len() {
        return Err(format!("{} results for {} changes", reply.results.len(), records.len()));
    }
    records
        .iter()
        .zip(&reply.results)
        .map(|(record, result)| {
            if result.confirms(record) {
                Ok(result.status)
            } else {
                Err(format!("not confirmed: {} {} v{} {} → {result:?}", record.kind(), record.id(), record.version(), record.clock()))
            }
        })
        .collect()
}

/// A client for a server on loopback: a time limit so a hung server fails the run instead of
/// blocking it.
pub fn http_client(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder().timeout(timeout).build().expect("an HTTP client")
}
