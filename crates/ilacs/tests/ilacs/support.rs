//! Running the real `ilacs` binary, a throwaway database, the demo server and
//! ChromeDriver. Every process started here is killed when its handle is dropped, and
//! every failure message carries what the process printed.

use std::fmt;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// The binary under test, built by Cargo for this test run.
pub const ILACS: &str = env!("CARGO_BIN_EXE_ilacs");

/// How long a one-shot command may take before it counts as hung.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);
/// How long `ilacs demo` may take to import the data and start listening.
const DEMO_READY_TIMEOUT: Duration = Duration::from_secs(60);
/// How long ChromeDriver may take to accept connections.
const DRIVER_READY_TIMEOUT: Duration = Duration::from_secs(20);

/// Environment variables the binary reads, removed so the caller's shell cannot change
/// what a test means.
const ILACS_ENV: [&str; 5] = [
    "ILACS_DATABASE_URL",
    "ILACS_LISTEN",
    "ILACS_PASSWORD",
    "ILACS_SECURE_COOKIES",
    "ILACS_LOG",
];

/// Polls `ready` every 50 ms until it is true or `timeout` has passed.
pub fn wait_until(timeout: Duration, mut ready: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if ready() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A port nothing listens on just now (the OS picks it; we release it at once).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("could not find a free port on 127.0.0.1")
        .port()
}

/// Text a child process writes to one of its pipes, collected by a thread.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<String>>);

impl Captured {
    /// Reads `pipe` line by line until it closes, keeping every line and sending each
    /// one to `lines` if given.
    fn spawn(
        &self,
        pipe: impl Read + Send + 'static,
        lines: Option<mpsc::Sender<String>>,
    ) -> JoinHandle<()> {
        let buffer = self.0.clone();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(pipe);
            let mut raw = Vec::new();
            loop {
                raw.clear();
                match reader.read_until(b'\n', &mut raw) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        let line = String::from_utf8_lossy(&raw).into_owned();
                        buffer.lock().unwrap().push_str(&line);
                        if let Some(tx) = &lines {
                            let _ = tx.send(line.trim_end().to_string());
                        }
                    }
                }
            }
        })
    }

    fn text(&self) -> String {
        self.0.lock().unwrap().clone()
    }
}

/// A finished run of `ilacs`.
pub struct Run {
    pub args: Vec<String>,
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn success(&self) -> bool {
        self.status.success()
    }

    /// Panics, with everything the command printed, unless it succeeded.
    #[track_caller]
    pub fn ok(self) -> Run {
        assert!(self.success(), "expected success:\n{self}");
        self
    }

    /// Panics unless the command failed with a message on stderr containing every one
    /// of `words`.
    #[track_caller]
    pub fn fails_saying(self, words: &[&str]) -> Run {
        assert!(
            !self.success(),
            "expected a failure (non-zero exit):\n{self}"
        );
        for w in words {
            assert!(
                self.stderr.contains(w),
                "expected the error output to contain {w:?}:\n{self}"
            );
        }
        self
    }
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "$ ilacs {}\n{}\n--- stdout ---\n{}--- stderr ---\n{}--------------",
            self.args
                .iter()
                .map(|a| if a.contains(char::is_whitespace) {
                    format!("{a:?}")
                } else {
                    a.clone()
                })
                .collect::<Vec<_>>()
                .join(" "),
            self.status,
            self.stdout,
            self.stderr
        )
    }
}

/// Runs `ilacs ARGS` to completion with `env` added to a clean environment and no
/// standard input, killing it if it hangs.
pub fn ilacs(args: &[&str], env: &[(&str, &str)]) -> Run {
    ilacs_with_input(args, env, None)
}

/// As [`ilacs`], writing `input` (if any) to its standard input and then closing it.
pub fn ilacs_with_input(args: &[&str], env: &[(&str, &str)], input: Option<&str>) -> Run {
    let mut command = Command::new(ILACS);
    command
        .args(args)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for name in ILACS_ENV {
        command.env_remove(name);
    }
    command.envs(env.iter().copied());
    let mut child = command
        .spawn()
        .unwrap_or_else(|e| panic!("could not start {ILACS}: {e}"));
    let (stdout, stderr) = (Captured::default(), Captured::default());
    let readers = [
        stdout.spawn(child.stdout.take().unwrap(), None),
        stderr.spawn(child.stderr.take().unwrap(), None),
    ];
    if let (Some(text), Some(mut stdin)) = (input, child.stdin.take()) {
        // A program that exits without reading its input is not this write's problem.
        let _ = stdin.write_all(text.as_bytes());
    }
    let mut status = None;
    let finished = wait_until(COMMAND_TIMEOUT, || {
        status = child.try_wait().expect("could not wait for ilacs");
        status.is_some()
    });
    if !finished {
        let _ = child.kill();
        let _ = child.wait();
        panic!(
            "`ilacs {}` did not finish within {COMMAND_TIMEOUT:?}\n--- stdout ---\n{}--- stderr ---\n{}",
            args.join(" "),
            stdout.text(),
            stderr.text()
        );
    }
    for r in readers {
        let _ = r.join();
    }
    Run {
        args: args.iter().map(|a| a.to_string()).collect(),
        status: status.unwrap(),
        stdout: stdout.text(),
        stderr: stderr.text(),
    }
}

/// A SQLite database in a fresh temporary directory, deleted on drop.
pub struct Db {
    pub dir: TempDir,
    pub url: String,
}

impl Db {
    pub fn new() -> Db {
        let dir = tempfile::tempdir().expect("could not create a temporary directory");
        let url = format!("sqlite://{}", dir.path().join("ilacs.db").display());
        Db { dir, url }
    }

    pub fn file(&self) -> PathBuf {
        self.dir.path().join("ilacs.db")
    }

    /// Runs `ilacs ARGS --database URL`.
    pub fn ilacs(&self, args: &[&str]) -> Run {
        self.ilacs_env(args, &[])
    }

    pub fn ilacs_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        self.ilacs_input(args, env, None)
    }

    pub fn ilacs_input(&self, args: &[&str], env: &[(&str, &str)], input: Option<&str>) -> Run {
        let mut all = args.to_vec();
        all.extend(["--database", self.url.as_str()]);
        ilacs_with_input(&all, env, input)
    }
}

/// `ilacs demo` running on a free port with its own database; killed on drop.
pub struct Demo {
    child: Child,
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub base: String,
    /// The demo users' password, as printed at start.
    pub password: String,
    stdout: Captured,
    stderr: Captured,
    _db: Db,
}

impl Demo {
    /// Starts the server and waits for its ready line and a healthy `/healthz`.
    pub fn start() -> Demo {
        let db = Db::new();
        let listen = format!("127.0.0.1:{}", free_port());
        let url = db.url.clone();
        let args = ["demo", "--listen", &listen, "--database", &url];
        let mut command = Command::new(ILACS);
        command
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for name in ILACS_ENV {
            command.env_remove(name);
        }
        let mut child = command
            .spawn()
            .unwrap_or_else(|e| panic!("could not start {ILACS}: {e}"));
        let (stdout, stderr) = (Captured::default(), Captured::default());
        let (tx, lines) = mpsc::channel();
        stdout.spawn(child.stdout.take().unwrap(), Some(tx));
        let stderr_reader = stderr.spawn(child.stderr.take().unwrap(), None);
        let mut demo = Demo {
            child,
            base: String::new(),
            password: String::new(),
            stdout,
            stderr,
            _db: db,
        };

        let deadline = Instant::now() + DEMO_READY_TIMEOUT;
        let ready_at = loop {
            let line = match lines.recv_timeout(deadline.saturating_duration_since(Instant::now()))
            {
                Ok(line) => line,
                Err(RecvTimeoutError::Timeout) => panic!(
                    "`ilacs {}` printed no ready line within {DEMO_READY_TIMEOUT:?}\n{}",
                    args.join(" "),
                    demo.output()
                ),
                Err(RecvTimeoutError::Disconnected) => {
                    let status = match demo.child.wait() {
                        Ok(status) => status.to_string(),
                        Err(e) => e.to_string(),
                    };
                    // It has exited: let the last of its error output arrive.
                    let _ = stderr_reader.join();
                    panic!(
                        "`ilacs {}` stopped before it was ready ({status})\n{}",
                        args.join(" "),
                        demo.output()
                    )
                }
            };
            if let Some(p) = line
                .strip_prefix("Demo users (all with the password ")
                .and_then(|rest| rest.strip_suffix("):"))
            {
                demo.password = p.to_string();
            }
            if let Some(url) = line.strip_prefix("ilacs is ready at ") {
                break url.to_string();
            }
        };
        assert_eq!(
            ready_at,
            format!("http://{listen}/"),
            "the ready line should name the address given with --listen\n{}",
            demo.output()
        );
        assert!(
            demo.password.len() >= 12,
            "no usable demo password was printed before the ready line\n{}",
            demo.output()
        );
        demo.base = format!("http://{listen}");

        let addr: SocketAddr = listen.parse().unwrap();
        let mut last = String::new();
        let healthy = wait_until(Duration::from_secs(10), || {
            match http_get(addr, "/healthz") {
                Ok((200, body)) if body == "ok" => true,
                Ok((status, body)) => {
                    last = format!("{status} {body}");
                    false
                }
                Err(e) => {
                    last = e.to_string();
                    false
                }
            }
        });
        assert!(
            healthy,
            "GET /healthz never answered 200 ok (last: {last})\n{}",
            demo.output()
        );
        demo
    }

    /// Everything the server has printed so far.
    pub fn output(&self) -> String {
        format!(
            "--- ilacs demo stdout ---\n{}--- ilacs demo stderr ---\n{}-------------------------",
            self.stdout.text(),
            self.stderr.text()
        )
    }
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A minimal HTTP/1.1 GET: the status code and the body.
pub fn http_get(addr: SocketAddr, path: &str) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("not an HTTP response: {response:?}")))?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok((status, body))
}

/// Where ChromeDriver and Chromium are.
pub struct BrowserPaths {
    pub chromedriver: PathBuf,
    pub chromium: PathBuf,
}

/// The browser programs, or `None` (after saying so on stderr) when one is missing and
/// `ILACS_REQUIRE_BROWSER` is not `1`, in which case the caller skips its test.
pub fn browser_paths() -> Option<BrowserPaths> {
    let path = |var: &str, default: &str| {
        std::env::var_os(var)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(default))
    };
    let paths = BrowserPaths {
        chromedriver: path("CHROMEDRIVER", "/usr/bin/chromedriver"),
        chromium: path("CHROMIUM", "/usr/bin/chromium"),
    };
    let missing: Vec<String> = [
        ("ChromeDriver", "CHROMEDRIVER", &paths.chromedriver),
        ("Chromium", "CHROMIUM", &paths.chromium),
    ]
    .iter()
    .filter(|(_, _, p)| !p.is_file())
    .map(|(what, var, p)| format!("{what} is not at {} (set {var})", p.display()))
    .collect();
    if missing.is_empty() {
        return Some(paths);
    }
    let why = missing.join("; ");
    if std::env::var("ILACS_REQUIRE_BROWSER").as_deref() == Ok("1") {
        panic!("ILACS_REQUIRE_BROWSER=1 but the browser tests cannot run: {why}");
    }
    eprintln!("skipped: the browser test needs ChromeDriver and Chromium: {why}");
    None
}

/// ChromeDriver on a free port, in its own process group so that dropping it also ends
/// any browser it started.
pub struct ChromeDriver {
    child: Child,
    pub url: String,
    output: Captured,
}

impl ChromeDriver {
    pub fn start(path: &Path) -> ChromeDriver {
        use std::os::unix::process::CommandExt;
        let port = free_port();
        let mut child = Command::new(path)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("could not start {}: {e}", path.display()));
        let output = Captured::default();
        output.spawn(child.stdout.take().unwrap(), None);
        output.spawn(child.stderr.take().unwrap(), None);
        let mut driver = ChromeDriver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            output,
        };
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let mut exited = None;
        let listening = wait_until(DRIVER_READY_TIMEOUT, || {
            exited = driver.child.try_wait().ok().flatten();
            exited.is_some() || TcpStream::connect(addr).is_ok()
        });
        if let Some(status) = exited {
            panic!(
                "{} exited at start ({status})\n{}",
                path.display(),
                driver.output()
            );
        }
        assert!(
            listening,
            "{} did not accept connections on port {port} within {DRIVER_READY_TIMEOUT:?}\n{}",
            path.display(),
            driver.output()
        );
        driver
    }

    pub fn output(&self) -> String {
        format!(
            "--- chromedriver output ---\n{}---------------------------",
            self.output.text()
        )
    }

    /// A new headless Chromium session with a fresh profile (returned, to be kept until
    /// the session is closed).
    pub async fn session(&self, chromium: &Path) -> (fantoccini::Client, TempDir) {
        let profile = tempfile::tempdir().expect("could not create a browser profile directory");
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": chromium,
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    format!("--user-data-dir={}", profile.path().display()),
                    "--window-size=1280,1024",
                ],
            }),
        );
        let client = fantoccini::ClientBuilder::rustls()
            .expect("could not set up TLS for the WebDriver client")
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "could not start a Chromium session through {}: {e}\n{}",
                    self.url,
                    self.output()
                )
            });
        (client, profile)
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        // The whole group: ChromeDriver and any Chromium left behind by a failed test.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// axe-core's script, which `scripts/test.sh` installs from npm and names in
/// `AXE_CORE_JS`. Without it the accessibility checks are skipped (with a note), unless
/// `ILACS_REQUIRE_BROWSER=1`, when its absence is a failure.
pub fn axe_source() -> Option<&'static str> {
    static AXE: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    AXE.get_or_init(|| {
        let path = std::env::var_os("AXE_CORE_JS")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("../../target/test-tools/node_modules/axe-core/axe.min.js")
            });
        match std::fs::read_to_string(&path) {
            Ok(source) => Some(source),
            Err(e) if std::env::var("ILACS_REQUIRE_BROWSER").as_deref() == Ok("1") => {
                panic!("ILACS_REQUIRE_BROWSER=1 but axe-core is not at {}: {e}", path.display())
            }
            Err(_) => {
                eprintln!("skipped accessibility checks: axe-core is not at {} (scripts/test.sh installs it)", path.display());
                None
            }
        }
    })
    .as_deref()
}
