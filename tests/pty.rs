//! The built binary in a real pseudo-terminal, read through a terminal emulator: open an
//! article, follow a related link, go back, quit, and find the terminal as it was; a hostile
//! page that must not reach the terminal's title or clipboard; a bookmark, the read state
//! and the reading position saved in one run and there in the next; and pages saved into and
//! removed from the folder while the reader is open.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

mod common;

/// Everything the emulated terminal was asked to do besides drawing.
#[derive(Default)]
struct Requests {
    titles: Vec<Vec<u8>>,
    clipboard: Vec<Vec<u8>>,
}

impl vt100::Callbacks for Requests {
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles.push(title.to_vec());
    }
    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.titles.push(name.to_vec());
    }
    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _: &[u8], data: &[u8]) {
        self.clipboard.push(data.to_vec());
    }
}

type Terminal = Arc<Mutex<vt100::Parser<Requests>>>;

struct Session {
    terminal: Terminal,
    /// Every byte the reader wrote to the terminal, in order.
    written: Arc<Mutex<Vec<u8>>>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    child: Box<dyn Child + Send + Sync>,
}

impl Session {
    /// Starts the reader on a folder, keeping what it saves in a scratch data folder of its
    /// own (never the user's).
    fn start(articles: &str) -> Session {
        let data = tempfile::TempDir::new().expect("tempdir");
        Session::start_with_data(articles, data.path())
    }

    fn start_with_data(articles: &str, data: &std::path::Path) -> Session {
        Session::start_with(articles, data, &[])
    }

    /// [`Session::start_with_data`], with these variables set in the reader's environment.
    fn start_with(articles: &str, data: &std::path::Path, env: &[(&str, &str)]) -> Session {
        Session::start_args(&["--articles", articles], data, env)
    }

    /// The reader started with these arguments (see [`Session::start_with`]).
    fn start_args(args: &[&str], data: &std::path::Path, env: &[(&str, &str)]) -> Session {
        let (rows, cols) = (30, 100);
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_broadsheet"));
        cmd.args(args);
        cmd.cwd(env!("CARGO_MANIFEST_DIR"));
        cmd.env("TERM", "xterm-256color");
        cmd.env("XDG_DATA_HOME", data);
        cmd.env("XDG_CACHE_HOME", data.join("cache"));
        for (name, value) in env {
            cmd.env(name, value);
        }
        let child = pty.slave.spawn_command(cmd).expect("spawn broadsheet");
        drop(pty.slave);
        let size = |n| NonZeroU16::new(n).expect("non-zero");
        let terminal: Terminal = Arc::new(Mutex::new(vt100::Parser::new_with_callbacks(
            size(rows),
            size(cols),
            0,
            Requests::default(),
        )));
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let feed = Arc::clone(&terminal);
        let written = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&written);
        let writer: Arc<Mutex<Box<dyn Write + Send>>> =
            Arc::new(Mutex::new(pty.master.take_writer().expect("writer")));
        let answer = Arc::clone(&writer);
        thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut parser) = feed.lock() {
                    parser.process(&buf[..n]);
                }
                if let Ok(mut log) = log.lock() {
                    log.extend_from_slice(&buf[..n]);
                }
                // A terminal answers a status request (as the reader's question of what it
                // can draw ends with): a VT220 with no graphics, all is well.
                if buf[..n].windows(4).any(|w| w == b"\x1b[5n")
                    && let Ok(mut answer) = answer.lock()
                {
                    let _ = answer.write_all(b"\x1b[?62;22c\x1b[0n");
                    let _ = answer.flush();
                }
            }
        });
        // The master must outlive the session or the child loses its terminal.
        std::mem::forget(pty.master);
        Session {
            terminal,
            written,
            writer,
            child,
        }
    }

    /// Waits (at most ten seconds) until the screen shows `text`.
    fn wait_for(&self, text: &str) {
        let start = Instant::now();
        loop {
            let contents = self.contents();
            if contents.contains(text) {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "the screen never showed {text:?}; it shows:\n{contents}"
            );
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Everything written to the terminal so far, as text.
    fn written(&self) -> String {
        self.written
            .lock()
            .map(|w| String::from_utf8_lossy(&w).into_owned())
            .unwrap_or_default()
    }

    fn contents(&self) -> String {
        self.terminal
            .lock()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    }

    fn press(&mut self, keys: &str) {
        let mut writer = self.writer.lock().expect("the writer");
        writer.write_all(keys.as_bytes()).expect("write keys");
        writer.flush().expect("flush keys");
        drop(writer);
        // Let the reader take each key on its own, as typed.
        thread::sleep(Duration::from_millis(60));
    }

    /// Waits for the process to end and returns whether it succeeded.
    fn wait_exit(&mut self) -> bool {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                // Let the last bytes reach the emulator.
                thread::sleep(Duration::from_millis(150));
                return status.success();
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "broadsheet did not quit"
            );
            thread::sleep(Duration::from_millis(20));
        }
    }
}

#[test]
fn open_follow_a_link_go_back_and_quit() {
    let mut s = Session::start("tests/fixtures/linked");
    s.wait_for(" 3 articles ");
    assert!(
        s.terminal
            .lock()
            .expect("terminal")
            .screen()
            .alternate_screen()
    );
    s.press("\r");
    s.wait_for("Heads of government gathered");
    // To the end of the article, focus the first related link and follow it.
    s.press("G");
    s.wait_for("Related stories");
    s.press("\t");
    s.press("\r");
    s.wait_for("Negotiators failed to agree");
    // Back in history, at the place we left.
    s.press("\x7f");
    s.wait_for("→ Trade Talks “Stall” — Again");
    assert!(!s.contents().contains("Negotiators failed"));
    s.press("q");
    s.press("q");
    assert!(s.wait_exit(), "broadsheet exited with an error");

    let parser = s.terminal.lock().expect("terminal");
    let screen = parser.screen();
    assert!(!screen.alternate_screen(), "left in the alternate screen");
    assert!(!screen.hide_cursor(), "left with the cursor hidden");
    assert_eq!(
        screen.mouse_protocol_mode(),
        vt100::MouseProtocolMode::None,
        "mouse still captured"
    );
}

#[test]
fn a_hostile_page_cannot_set_the_title_or_the_clipboard() {
    let mut s = Session::start("tests/fixtures/pages");
    s.wait_for("Evil Headline Here");
    // It is the second headline (same date as the first, later in the alphabet): open it
    // and read it to the end, through its related list.
    s.press("j");
    s.press("\r");
    s.wait_for("Standfirst with clipboard write.");
    s.wait_for("Body with red and  DCS and a tab and  DEL.");
    s.press("G");
    s.wait_for("Related blinking story");
    s.press("\x03");
    assert!(s.wait_exit());
    let parser = s.terminal.lock().expect("terminal");
    let requests = parser.callbacks();
    assert!(
        requests.titles.is_empty(),
        "title set: {:?}",
        requests.titles
    );
    assert!(
        requests.clipboard.is_empty(),
        "clipboard written: {:?}",
        requests.clipboard
    );
    assert!(!parser.screen().alternate_screen());
}

#[test]
fn a_bookmark_the_read_state_and_the_place_in_an_article_survive_a_restart() {
    let data = tempfile::TempDir::new().expect("tempdir");
    let mut s = Session::start_with_data("tests/fixtures/linked", data.path());
    s.wait_for(" 3 articles · 3 unread ");
    // Bookmark the first headline, open it, and read down a way.
    s.press("s");
    s.wait_for("Bookmarked");
    s.press("\r");
    s.wait_for("Heads of government gathered");
    for _ in 0..6 {
        s.press(" ");
    }
    s.wait_for("Outlook paragraph 2:");
    let reading = s.contents();
    s.press("\x03");
    assert!(s.wait_exit(), "broadsheet exited with an error");
    let saved = data.path().join("broadsheet");
    let bookmarks = std::fs::read_to_string(saved.join("bookmarks.toml")).expect("bookmarks");
    assert!(bookmarks.contains("id = \"leaders-meet-in-geneva-for-climate-summit\""));
    let state = std::fs::read_to_string(saved.join("state.toml")).expect("state");
    assert!(
        state.contains("leaders-meet-in-geneva-for-climate-summit"),
        "{state}"
    );

    // The next run: the marker, one article read, and the article opens where it was left.
    let mut s = Session::start_with_data("tests/fixtures/linked", data.path());
    s.wait_for(" 3 articles · 2 unread ");
    // The first frame already knows the read marks: it never showed all three unread.
    assert!(
        !s.written().contains("3 unread"),
        "a frame without the marks"
    );
    assert!(s.contents().contains("★ 2025-03-03 Leaders Meet in Geneva"));
    s.press("\r");
    s.wait_for("1 of 3");
    // The reading pane's first lines, right of the list.
    let top = |screen: &str| -> Vec<String> {
        screen
            .lines()
            .skip(1)
            .take(4)
            .map(|l| l.chars().skip(40).collect())
            .collect()
    };
    // The text and the lists after it arrive in the background; once they have, the view is
    // where it was left.
    let start = Instant::now();
    while top(&s.contents()) != top(&reading) {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "not back where it was left: {:?} instead of {:?}",
            top(&s.contents()),
            top(&reading)
        );
        thread::sleep(Duration::from_millis(20));
    }
    s.press("q");
    s.press("q");
    assert!(s.wait_exit());
}

#[test]
fn a_page_saved_while_the_reader_is_open_appears_and_a_removed_one_goes() {
    let folder = tempfile::TempDir::new().expect("tempdir");
    for name in ["geneva.txt", "markets.txt", "trade.txt"] {
        std::fs::copy(
            std::path::Path::new("tests/fixtures/linked").join(name),
            folder.path().join(name),
        )
        .expect("copy");
    }
    let mut s = Session::start(&folder.path().to_string_lossy());
    s.wait_for("3 articles");
    // A page that arrives while the texts are still being read comes in with them, unannounced:
    // give the reader a moment to finish with the three.
    thread::sleep(Duration::from_millis(500));
    let page = "London Daily\n\nFocus on the big picture.\nMonday, Jan 5, 2099\n\n\
                Comet Seen Over Lisbon\n\nComet Seen Over Lisbon\n\nA standfirst.\n\nText.\n";
    std::fs::write(folder.path().join("comet.txt"), page).expect("write");
    s.wait_for("1 new article");
    s.wait_for("Comet Seen Over Lisbon");
    s.wait_for("4 articles");
    std::fs::remove_file(folder.path().join("geneva.txt")).expect("remove");
    s.wait_for("1 article removed");
    s.wait_for("3 articles");
    assert!(!s.contents().contains("Geneva"));
    s.press("q");
    assert!(s.wait_exit());
}

#[test]
fn the_article_is_piped_to_a_command_on_the_terminal_and_the_reader_comes_back() {
    let data = tempfile::TempDir::new().expect("tempdir");
    let out = data.path().join("piped.txt");
    let mut s = Session::start_with_data("tests/fixtures/linked", data.path());
    s.wait_for(" 3 articles · 3 unread ");
    s.press("|");
    s.wait_for("Pipe to:");
    s.press(&format!("cat > '{}'; echo piped-fine\r", out.display()));
    s.wait_for("Press Enter to return to the reader");
    assert!(s.contents().contains("piped-fine"), "{}", s.contents());
    let text = std::fs::read_to_string(&out).expect("piped text");
    assert!(
        text.starts_with("Leaders Meet in Geneva for Climate Summit\n"),
        "{text}"
    );
    s.press("\r");
    s.wait_for("Piped to cat >");
    assert!(s.contents().contains(" 3 articles · 3 unread "), "not read");

    // The reader takes keys again; a command that fails says so.
    s.press("|");
    s.wait_for("Pipe to: cat >");
    s.press("\x15exit 3\r");
    s.wait_for("Press Enter to return to the reader");
    s.press("\r");
    s.wait_for("exit 3 exited with status 3");
    s.press("q");
    assert!(s.wait_exit(), "broadsheet exited with an error");
}

#[test]
#[cfg(unix)]
fn a_text_browser_gets_the_terminal_and_the_reader_comes_back_with_the_article_read() {
    use std::os::unix::fs::PermissionsExt;
    let data = tempfile::TempDir::new().expect("tempdir");
    let folder = tempfile::TempDir::new().expect("tempdir");
    let page = "London Daily\nLink: https://news.example.org/harbour?a=1&b=2\nMonday, Mar 3, 2025\n\n\
                Harbour Reopens\n\nHarbour Reopens\n\nBoats are back.\n\nThe wall was rebuilt.\n";
    std::fs::write(folder.path().join("harbour.txt"), page).expect("write");
    // A stand-in for w3m: it says what it was given, and waits for Enter on the terminal.
    let bin = data.path().join("bin");
    std::fs::create_dir_all(&bin).expect("mkdir");
    let browser = bin.join("w3m");
    let seen = data.path().join("seen.txt");
    std::fs::write(
        &browser,
        format!(
            "#!/bin/sh\nprintf '%s' \"$1\" > '{}'\necho fake-w3m-showing \"$1\"\nread line\n",
            seen.display()
        ),
    )
    .expect("script");
    std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let browser_var = format!("{}:firefox", browser.display());
    let mut s = Session::start_with(
        &folder.path().to_string_lossy(),
        data.path(),
        &[("BROWSER", browser_var.as_str())],
    );
    s.wait_for(" 1 article · 1 unread ");
    s.press("o");
    s.wait_for("fake-w3m-showing https://news.example.org/harbour?a=1&b=2");
    assert_eq!(
        std::fs::read_to_string(&seen).expect("the link"),
        "https://news.example.org/harbour?a=1&b=2"
    );
    s.press("\r");
    // Back in the reader, the article read.
    s.wait_for(" 1 article ");
    assert!(!s.contents().contains("unread"), "{}", s.contents());
    s.press("q");
    assert!(s.wait_exit(), "broadsheet exited with an error");
}

#[test]
fn with_kittys_protocol_the_picture_is_sent_as_a_kitty_image_and_placed_under_the_byline() {
    let dir = tempfile::TempDir::new().expect("tempdir");
    let url = "http://127.0.0.1:9/pics/quay.png";
    common::write(
        dir.path(),
        "articles/quay.txt",
        &format!(
            "London Daily\nImage: {url} The quay at dawn\nMonday, Mar 3, 2025\n\nHarbour reopens\n\n\
             Harbour reopens\n\nBoats are back.\n\nThe harbour wall has been rebuilt.\n"
        ),
    );
    let pictures = dir.path().join("pictures");
    broadsheet::images::store::Store::new(&pictures, 1 << 30)
        .put(url, &common::picture(160, 90, image::ImageFormat::Png))
        .expect("kept");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "articles_dir = \"articles\"\nimages_dir = {:?}\nimage_protocol = \"kitty\"\n",
            pictures.display().to_string()
        ),
    )
    .expect("config");
    let config = config.display().to_string();
    let mut s = Session::start_args(&["--config", &config], dir.path(), &[]);
    s.wait_for("Harbour reopens");
    s.press("\r");
    s.wait_for("The quay at dawn");
    let start = Instant::now();
    // Kitty's graphics command: transmit RGBA pixels (f=32) and make a virtual placement
    // (U=1) that unicode placeholders (U+10EEEE) put on the screen.
    while !s.written().contains("\x1b_Gq=2,") && start.elapsed() < Duration::from_secs(10) {
        thread::sleep(Duration::from_millis(20));
    }
    let written = s.written();
    let sent = written
        .find("\x1b_Gq=2,")
        .map(|at| &written[at..])
        .expect("a kitty graphics command");
    assert!(
        sent.contains("a=T,U=1,f=32,"),
        "{}",
        &sent[..sent.len().min(200)]
    );
    assert!(
        written.contains('\u{10EEEE}'),
        "placeholders put the picture on the screen"
    );
    // Nothing of it is drawn in half blocks.
    assert!(!s.contents().contains('▀') && !s.contents().contains('▄'));
    s.press("q");
    s.press("q");
    assert!(s.wait_exit());
}
