//! A real FreshRSS server (the test copy in `../shared/freshrss`, found through
//! `BROADSHEET_FRESHRSS`, which `.ci/run` sets) on 127.0.0.1 for the sync tests: a data folder
//! of its own, `php -S` on a free port, stopped when dropped. Its helpers do what a person
//! does on the server's web page or another device: subscribe, refresh the feeds, mark items.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct FreshRss {
    pub base: String,
    home: PathBuf,
    data: tempfile::TempDir,
    port: u16,
    php: Child,
}

/// The user and API password `setup` makes.
pub const USER: &str = "reader";
pub const PASSWORD: &str = "reader-api-pass";

impl FreshRss {
    /// The server, started; `None` (with a note on stderr) when `BROADSHEET_FRESHRSS` is not
    /// set, as outside `.ci/run`.
    pub fn start() -> Option<FreshRss> {
        let Some(home) = std::env::var_os("BROADSHEET_FRESHRSS").map(PathBuf::from) else {
            eprintln!(
                "BROADSHEET_FRESHRSS is not set: the FreshRSS sync test is not run (.ci/run sets it)"
            );
            return None;
        };
        let port = super::free_port();
        let data = tempfile::TempDir::new().expect("tempdir");
        let site = format!("http://127.0.0.1:{port}");
        // `setup` checks PHP's modules with `php -m | grep -q` under pipefail, which fails when
        // grep has its line and goes before php has written the rest (often, on a busy
        // machine). Its `php` here prints the list in one write, so nothing is left to fail.
        let wrapper = data.path().join("bin");
        std::fs::create_dir_all(&wrapper).expect("bin");
        let real = String::from_utf8(
            Command::new("sh")
                .args(["-c", "command -v php"])
                .output()
                .expect("which php")
                .stdout,
        )
        .expect("path");
        let script = format!(
            "#!/bin/sh\nif [ \"$1\" = -m ]; then out=$({0} -m); printf '%s\\n' \"$out\"; exit 0; fi\nexec {0} \"$@\"\n",
            real.trim()
        );
        let php = wrapper.join("php");
        std::fs::write(&php, script).expect("wrapper");
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&php, std::fs::Permissions::from_mode(0o755)).expect("mode");
        }
        let path = format!(
            "{}:{}",
            wrapper.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let made = (0..3).any(|_| {
            Command::new(home.join("setup"))
                .arg(data.path().join("server"))
                .arg(&site)
                .env("PATH", &path)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        });
        assert!(made, "FreshRSS setup failed");
        let php = serve(&home, &data.path().join("server"), port);
        let server = FreshRss {
            base: format!("{site}/api/greader.php"),
            home,
            data,
            port,
            php,
        };
        server.wait_up();
        Some(server)
    }

    /// Waits (ten seconds at most) until it answers a login.
    fn wait_up(&self) {
        let start = Instant::now();
        while self.try_login().is_none() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "FreshRSS did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops answering, as a server that is down.
    pub fn stop(&mut self) {
        stop(&mut self.php);
    }

    /// Answers again, with everything it had.
    pub fn restart(&mut self) {
        self.php = serve(&self.home, &self.data.path().join("server"), self.port);
        self.wait_up();
    }

    /// The ids (decimal) of the items in a state: `unread` or `starred`.
    pub fn ids(&self, which: &str) -> Vec<String> {
        let query = match which {
            "unread" => "s=user/-/state/com.google/reading-list&xt=user/-/state/com.google/read",
            _ => "s=user/-/state/com.google/starred",
        };
        let json = self.get(&format!("stream/items/ids?output=json&n=1000&{query}"));
        json["itemRefs"]
            .as_array()
            .map(|refs| {
                refs.iter()
                    .filter_map(|r| r["id"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn try_login(&self) -> Option<String> {
        let mut answer = ureq::post(&format!("{}/accounts/ClientLogin", self.base))
            .send_form([("Email", USER), ("Passwd", PASSWORD)])
            .ok()?;
        let text = answer.body_mut().read_to_string().ok()?;
        text.lines()
            .find_map(|l| l.strip_prefix("Auth="))
            .map(str::to_string)
    }

    fn auth(&self) -> String {
        format!("GoogleLogin auth={}", self.try_login().expect("login"))
    }

    /// GETs an API path (with its query), as JSON.
    fn get(&self, path: &str) -> serde_json::Value {
        let url = format!("{}/reader/api/0/{path}", self.base);
        let mut answer = ureq::get(&url)
            .header("Authorization", &self.auth())
            .call()
            .expect("get");
        serde_json::from_str(&answer.body_mut().read_to_string().expect("text")).expect("json")
    }

    fn post(&self, path: &str, form: &[(&str, &str)]) {
        let url = format!("{}/reader/api/0/{path}", self.base);
        let answer = ureq::post(&url)
            .header("Authorization", &self.auth())
            .send_form(form.iter().copied())
            .expect("post");
        assert_eq!(answer.status().as_u16(), 200, "{path}");
    }

    /// Subscribes to a feed in a folder, as from the server's own page (FreshRSS reads it
    /// at once).
    pub fn subscribe(&self, feed: &str, folder: &str) {
        let stream = format!("feed/{feed}");
        let label = format!("user/-/label/{folder}");
        self.post(
            "subscription/edit",
            &[("ac", "subscribe"), ("s", &stream), ("a", &label)],
        );
    }

    /// Reads every feed again, as the server's own timer does.
    pub fn refresh(&self) {
        // FreshRSS skips a feed refreshed in the same second.
        std::thread::sleep(Duration::from_millis(1100));
        let _ = Command::new("php")
            .arg(self.home.join("src/cli/actualize-user.php"))
            .args(["--user", USER])
            .env("DATA_PATH", self.data.path().join("server"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }

    /// Every item's id (decimal) and title, newest first.
    pub fn items(&self) -> Vec<(String, String)> {
        let json =
            self.get("stream/contents/user/-/state/com.google/reading-list?output=json&n=100");
        json["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|item| {
                let long = item["id"].as_str().unwrap_or_default();
                let hex = long.rsplit('/').next().unwrap_or_default();
                let id = u64::from_str_radix(hex, 16).expect("hex id").to_string();
                (id, item["title"].as_str().unwrap_or_default().to_string())
            })
            .collect()
    }

    /// Marks an item (decimal id) with a state (`read`, `starred`), as another device does.
    pub fn mark(&self, id: &str, state: &str) {
        let url = format!("{}/reader/api/0/token", self.base);
        let mut answer = ureq::get(&url)
            .header("Authorization", &self.auth())
            .call()
            .expect("token");
        let token = answer.body_mut().read_to_string().expect("token text");
        let tag = format!("user/-/state/com.google/{state}");
        self.post("edit-tag", &[("i", id), ("a", &tag), ("T", token.trim())]);
    }
}

/// `php -S` serving the FreshRSS data folder `data` on `port`.
fn serve(home: &std::path::Path, data: &std::path::Path, port: u16) -> Child {
    use std::os::unix::process::CommandExt;
    Command::new("php")
        // A group of its own: its workers are stopped with it.
        .process_group(0)
        .args(["-S", &format!("127.0.0.1:{port}"), "-t"])
        .arg(home.join("src/p"))
        .env("DATA_PATH", data)
        .env("PHP_CLI_SERVER_WORKERS", "2")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("php -S")
}

/// Stops `php -S` and the workers it started (its process group).
fn stop(php: &mut Child) {
    if let Ok(group) = i32::try_from(php.id()) {
        // SAFETY: a signal to a process group this test started; nothing is read or written.
        unsafe {
            libc::kill(-group, libc::SIGKILL);
        }
    }
    let _ = php.kill();
    let _ = php.wait();
}

impl Drop for FreshRss {
    fn drop(&mut self) {
        stop(&mut self.php);
    }
}
