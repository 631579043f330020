//! Getting a feed or a page over HTTP(S), as hostile input: `http` and `https` only, a
//! `broadsheet/VERSION` User-Agent, gzip, at most five redirects, a connect and a total
//! timeout, a cap on the size of what comes back (after decompression), and conditional
//! requests (`If-None-Match`, `If-Modified-Since`) so that an unchanged feed is a `304`.

use std::time::Duration;

use crate::feeds::check_url;

/// The most a feed or page may weigh, decompressed.
pub const MAX_BYTES: u64 = 20 * 1024 * 1024;
/// Redirects followed before giving up.
pub const MAX_REDIRECTS: u32 = 5;

/// How requests are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub connect_timeout: Duration,
    /// For the whole request, body included.
    pub timeout: Duration,
    pub max_bytes: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_bytes: MAX_BYTES,
        }
    }
}

/// What the last answer said, to ask only for what changed since.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// An answer with a body.
#[derive(Debug)]
pub struct Fetched {
    pub body: Vec<u8>,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    pub validators: Validators,
}

/// What a request gave.
#[derive(Debug)]
pub enum Response {
    Fetched(Fetched),
    /// `304 Not Modified`: nothing new since the validators sent.
    NotModified,
}

/// Makes requests with one set of limits (connections are reused between them).
#[derive(Debug, Clone)]
pub struct Client {
    agent: ureq::Agent,
    limits: Limits,
}

impl Client {
    pub fn new(limits: Limits) -> Client {
        let agent = ureq::Agent::config_builder()
            .timeout_connect(Some(limits.connect_timeout))
            .timeout_global(Some(limits.timeout))
            .max_redirects(MAX_REDIRECTS)
            .user_agent(format!("broadsheet/{}", env!("CARGO_PKG_VERSION")))
            .http_status_as_error(false)
            .build()
            .into();
        Client { agent, limits }
    }

    /// GETs `url`, sending `validators` as conditional headers. `Err` says why nothing usable
    /// came back: a timeout, an answer that was not 2xx (with a busy server's `Retry-After`),
    /// a body over the limit, an address refused, or the network's own error.
    pub fn ask(&self, url: &str, validators: &Validators) -> Result<Response, Failure> {
        check_url(url).map_err(Failure::Refused)?;
        let mut request = self.agent.get(url);
        if let Some(etag) = &validators.etag {
            request = request.header("If-None-Match", etag);
        }
        if let Some(date) = &validators.last_modified {
            request = request.header("If-Modified-Since", date);
        }
        let mut response = request.call().map_err(|e| Failure::of(e, &self.limits))?;
        let status = response.status().as_u16();
        if status == 304 {
            return Ok(Response::NotModified);
        }
        if !(200..300).contains(&status) {
            let reason = response.status().canonical_reason().unwrap_or("");
            let retry_after = match status {
                429 | 503 => response
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(retry_after),
                _ => None,
            };
            return Err(Failure::Status {
                status,
                reason: reason.to_string(),
                retry_after,
            });
        }
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let validators = Validators {
            etag: header("etag"),
            last_modified: header("last-modified"),
        };
        let content_type = header("content-type");
        let body = response
            .body_mut()
            .with_config()
            .limit(self.limits.max_bytes)
            .read_to_vec()
            .map_err(|e| Failure::of(e, &self.limits))?;
        Ok(Response::Fetched(Fetched {
            body,
            content_type,
            validators,
        }))
    }
}

/// Why a request gave nothing usable, as its kind: a caller tells a timeout (the host may be
/// hanging) from a refusal or a server's answer by the variant, and prints it as one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    /// The address is not one broadsheet asks (not http(s), a local file…).
    #[error("{0}")]
    Refused(String),
    /// No answer within the limits.
    #[error("no answer in time (connect {connect} s, all {all} s)")]
    TimedOut { connect: u64, all: u64 },
    /// An answer other than 2xx or 304; a busy server's `Retry-After`, at most a day.
    #[error("{}", status_line(*.status, .reason, *.retry_after))]
    Status {
        status: u16,
        reason: String,
        retry_after: Option<Duration>,
    },
    /// A body larger than the limit (in MiB).
    #[error("refused: larger than {0} MiB")]
    TooLarge(u64),
    /// More redirects than followed.
    #[error("more than {MAX_REDIRECTS} redirects (a loop?)")]
    Redirects,
    /// Anything else the connection said (name not found, refused, TLS…).
    #[error("{0}")]
    Network(String),
}

impl Failure {
    fn of(error: ureq::Error, limits: &Limits) -> Failure {
        match error {
            ureq::Error::BodyExceedsLimit(_) => Failure::TooLarge(limits.max_bytes / (1024 * 1024)),
            ureq::Error::TooManyRedirects => Failure::Redirects,
            ureq::Error::Timeout(_) => Failure::TimedOut {
                connect: limits.connect_timeout.as_secs(),
                all: limits.timeout.as_secs(),
            },
            other => Failure::Network(other.to_string()),
        }
    }

    /// How long a busy server asked to be left alone.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Failure::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// `the server answered 429 Too Many Requests (asks to wait 120 s)`.
fn status_line(status: u16, reason: &str, retry_after: Option<Duration>) -> String {
    let mut line = format!("the server answered {status} {reason}")
        .trim()
        .to_string();
    if let Some(wait) = retry_after {
        line.push_str(&format!(" (asks to wait {} s)", wait.as_secs()));
    }
    line
}

/// The longest wait a `Retry-After` is taken for.
const MOST_RETRY_AFTER: Duration = Duration::from_secs(24 * 3600);

/// A `Retry-After` value: seconds, or an HTTP date (as a wait from now), at most a day.
fn retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    let wait = match value.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => {
            let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
            (at.with_timezone(&chrono::Utc) - chrono::Utc::now())
                .to_std()
                .unwrap_or_default()
        }
    };
    Some(wait.min(MOST_RETRY_AFTER))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_seconds_or_a_date_at_most_a_day() {
        assert_eq!(retry_after("120"), Some(Duration::from_secs(120)));
        assert_eq!(retry_after("99999999"), Some(MOST_RETRY_AFTER));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        let soon = (chrono::Utc::now() + chrono::Duration::seconds(600)).to_rfc2822();
        let wait = retry_after(&soon).expect("a date");
        assert!((590..=600).contains(&wait.as_secs()), "{wait:?}");
        assert_eq!(retry_after("soon"), None);
    }
}
