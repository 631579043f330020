//! A real HTTP server on 127.0.0.1 for the tests that fetch: it answers from a table of
//! paths the test fills, each request on a thread of its own (a path can be made slow, so
//! that a test can see what waits for it), keeps the headers of every request, and stops
//! when dropped.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the server answers at a path.
#[derive(Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
    Reply {
        status: 200,
        headers: vec![("Content-Type".into(), content_type.into())],
        body: body.into(),
    }
}

/// A request the server saw: its path and headers (names in lower case).
pub type Request = (String, Vec<(String, String)>);

/// A server on 127.0.0.1 answering from a table of paths, keeping the headers of every
/// request; it stops when dropped.
pub struct Server {
    server: Arc<tiny_http::Server>,
    pub port: u16,
    routes: Arc<Mutex<HashMap<String, Reply>>>,
    delays: Arc<Mutex<HashMap<String, Duration>>>,
    requests: Arc<Mutex<Vec<Request>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    pub fn start() -> Server {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("server"));
        let port = server.server_addr().to_ip().expect("ip").port();
        let routes: Arc<Mutex<HashMap<String, Reply>>> = Arc::default();
        let delays: Arc<Mutex<HashMap<String, Duration>>> = Arc::default();
        let requests: Arc<Mutex<Vec<Request>>> = Arc::default();
        let thread = {
            let (server, routes, delays, requests) = (
                server.clone(),
                routes.clone(),
                delays.clone(),
                requests.clone(),
            );
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    let path = request.url().to_string();
                    let headers = request
                        .headers()
                        .iter()
                        .map(|h| (h.field.to_string().to_lowercase(), h.value.to_string()))
                        .collect();
                    requests
                        .lock()
                        .expect("requests")
                        .push((path.clone(), headers));
                    let reply = routes.lock().expect("routes").get(&path).cloned();
                    let delay = delays.lock().expect("delays").get(&path).copied();
                    std::thread::spawn(move || respond(request, reply, delay));
                }
            })
        };
        Server {
            server,
            port,
            routes,
            delays,
            requests,
            thread: Some(thread),
        }
    }

    /// Makes the answers at `path` wait this long (a host that hangs, to a client's timeout).
    pub fn slow(&self, path: &str, delay: Duration) {
        self.delays
            .lock()
            .expect("delays")
            .insert(path.to_string(), delay);
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn route(&self, path: &str, reply: Reply) {
        self.routes
            .lock()
            .expect("routes")
            .insert(path.to_string(), reply);
    }

    /// The headers of the requests made for `path`, in order.
    pub fn asked(&self, path: &str) -> Vec<HashMap<String, String>> {
        self.requests
            .lock()
            .expect("requests")
            .iter()
            .filter(|(p, _)| p == path)
            .map(|(_, h)| h.iter().cloned().collect())
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Answers one request with its reply (404 when there is none), after its delay.
fn respond(request: tiny_http::Request, reply: Option<Reply>, delay: Option<Duration>) {
    if let Some(delay) = delay {
        std::thread::sleep(delay);
    }
    let reply = reply.unwrap_or(Reply {
        status: 404,
        headers: Vec::new(),
        body: b"not here".to_vec(),
    });
    let mut response = tiny_http::Response::from_data(reply.body).with_status_code(reply.status);
    for (name, value) in reply.headers {
        if let Ok(header) = tiny_http::Header::from_bytes(name, value) {
            response.add_header(header);
        }
    }
    let _ = request.respond(response);
}
