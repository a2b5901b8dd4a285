//! Shared helpers for the workspace tests.

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// botocore's protocol test suites, vendored under `tests/conformance/`.
pub fn conformance_dir() -> PathBuf {
    workspace_root().join("tests/conformance/botocore-protocols")
}

/// A benchmark input under `tests/bench-inputs/`.
pub fn bench_input(name: &str) -> PathBuf {
    workspace_root().join("tests/bench-inputs").join(name)
}

/// A generator configuration for a crate the tests build: depending on this workspace's
/// runtime by path.
pub fn codegen_config(crate_name: &str) -> codegen::Config {
    let runtime = workspace_root().join("runtime");
    codegen::Config::new(crate_name).runtime(codegen::RuntimeDependency::Path(
        runtime.display().to_string(),
    ))
}

/// A fixture model under `tests/fixtures/`.
pub fn fixture_path(name: &str) -> PathBuf {
    workspace_root().join("tests/fixtures").join(name)
}

/// Loads a fixture model (with `<name>.paginators-1.json` and `<name>.waiters-2.json` beside
/// it, if there are), panicking with the loader's message if it is rejected.
pub fn load_fixture(name: &str) -> models::Service {
    let path = fixture_path(name);
    let paginators = path.with_extension("paginators-1.json");
    let paginators = paginators.is_file().then_some(paginators);
    let mut service = models::load_service_files(&path, paginators.as_deref())
        .unwrap_or_else(|error| panic!("fixture {name} does not load: {error}"));
    let waiters = path.with_extension("waiters-2.json");
    if waiters.is_file() {
        service.waiters = models::load_waiters_file(&waiters, &service)
            .unwrap_or_else(|error| panic!("the waiters of fixture {name} do not load: {error}"));
    }
    service
}

/// The Connect model committed under `service-json/`.
pub fn connect_model() -> models::Service {
    let dir = workspace_root().join("service-json/connect/2017-08-08");
    models::load_service_files(
        &dir.join("service-2.json"),
        Some(&dir.join("paginators-1.json")),
    )
    .unwrap_or_else(|error| panic!("the Connect model does not load: {error}"))
}

/// The Connect model, loaded once per test binary (for property tests that run many cases).
pub fn connect_model_cached() -> &'static models::Service {
    static MODEL: std::sync::OnceLock<models::Service> = std::sync::OnceLock::new();
    MODEL.get_or_init(connect_model)
}

/// Python tools the end-to-end tests drive (moto, the AWS CLI), each in its own venv under
/// `target/`, installed from a pinned requirements file on first use.
pub mod python {
    use std::io::{BufRead as _, BufReader};
    use std::net::TcpStream;
    use std::path::PathBuf;
    use std::process::{Child, Command, Stdio};
    use std::time::{Duration, Instant};

    /// The Python of venv `target/<name>`, with `requirements` installed; `probe` is a module
    /// whose import shows the install is complete.
    pub fn venv(name: &str, requirements: &str, probe: &str) -> PathBuf {
        let root = super::workspace_root();
        let venv = root.join("target").join(name);
        let python = venv.join("bin/python");
        let ready = |python: &PathBuf| {
            Command::new(python)
                .args(["-c", &format!("import {probe}")])
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|status| status.success())
        };
        if ready(&python) {
            return python;
        }
        // A test binary runs its tests side by side, and two pips installing into one venv break
        // each other (a CI run failed so): the first to take this lock installs, the others then
        // find the venv ready. Cargo runs test binaries one after another.
        static INSTALLING: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _installing = INSTALLING
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if ready(&python) {
            return python;
        }
        let status = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .expect("python3 runs");
        assert!(
            status.success(),
            "python3 -m venv {} failed",
            venv.display()
        );
        let status = Command::new(&python)
            .args(["-m", "pip", "install", "--quiet", "--no-cache-dir", "-r"])
            .arg(root.join("tests").join(requirements))
            .status()
            .expect("pip runs");
        assert!(
            status.success(),
            "pip install -r tests/{requirements} failed"
        );
        assert!(
            ready(&python),
            "{probe} is not importable after installing it"
        );
        python
    }

    /// The AWS CLI v1 (`aws`), pinned in `tests/awscli-requirements.txt`.
    pub fn aws_cli() -> PathBuf {
        let python = venv("awscli-venv", "awscli-requirements.txt", "awscli.clidriver");
        python.with_file_name("aws")
    }

    /// A moto server on 127.0.0.1 with an OS-chosen port, killed on drop.
    #[derive(Debug)]
    pub struct Moto {
        child: Child,
        pub endpoint: String,
    }

    impl Moto {
        /// Starts moto (installing it on first use) and waits until it accepts connections.
        pub fn start() -> Moto {
            Moto::serve(false)
        }

        /// [`start`](Self::start), serving HTTPS with a certificate werkzeug makes up (a client
        /// must be told to accept it).
        pub fn start_tls() -> Moto {
            Moto::serve(true)
        }

        fn serve(tls: bool) -> Moto {
            let python = venv("moto-venv", "moto-requirements.txt", "moto.server");
            let mut child = Command::new(python)
                .args(["-m", "moto.server", "-H", "127.0.0.1", "-p", "0"])
                .args(tls.then_some("--ssl"))
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("moto starts");
            // Werkzeug prints the port it bound: `* Running on http://127.0.0.1:45567` (`https`
            // with `--ssl`).
            let stderr = child.stderr.take().expect("stderr");
            let (sender, receiver) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    if let Some(at) = line.find("://127.0.0.1:") {
                        let at = line[..at].rfind(' ').map_or(0, |space| space + 1);
                        let _ = sender.send(line[at..].trim().to_owned());
                    }
                }
            });
            let endpoint = receiver
                .recv_timeout(Duration::from_secs(60))
                .expect("moto prints its address");
            let moto = Moto { child, endpoint };
            let address = moto.endpoint.split_once("://").map_or("", |(_, at)| at);
            let address = address.to_owned();
            let deadline = Instant::now() + Duration::from_secs(30);
            while TcpStream::connect(&address).is_err() {
                assert!(
                    Instant::now() < deadline,
                    "moto does not accept connections at {address}"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
            moto
        }

        /// Forgets every resource (moto's `POST /moto-api/reset`).
        pub fn reset(&self) {
            use std::io::{Read as _, Write as _};
            let address = self.endpoint.trim_start_matches("http://");
            let mut stream = TcpStream::connect(address).expect("moto accepts");
            write!(
                stream,
                "POST /moto-api/reset HTTP/1.1\r\nHost: {address}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
            .expect("reset sent");
            let mut response = String::new();
            let _ = stream.read_to_string(&mut response);
            assert!(
                response.starts_with("HTTP/1.1 200"),
                "moto reset: {response}"
            );
        }
    }

    impl Drop for Moto {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A command for `program` (ours or `aws`) as both command lines are run in tests and
/// benchmarks: test credentials and region, our model on `AWS_DATA_PATH`, no user configuration
/// (`home` stands in for the home directory), nothing else from the environment but `PATH`.
pub fn cli_command(program: &Path, home: &Path) -> std::process::Command {
    let mut command = std::process::Command::new(program);
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_DATA_PATH", workspace_root().join("service-json"))
        .env("AWS_CONFIG_FILE", home.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("credentials"));
    command
}

/// The target directory of the builds the tests start themselves (the generated crates, the
/// conformance harness, the `connect` binary). Not the workspace's own: `cargo test` holds that
/// one's lock while the tests run. One for all of them, so their common dependencies compile once.
pub fn nested_target_dir() -> PathBuf {
    workspace_root().join("target/nested")
}

/// `cargo` (the one running the tests) for a build a test starts in `dir`: into
/// [`nested_target_dir`], with warnings denied. Every nested build passes the same `RUSTFLAGS`,
/// since a change of flags would rebuild the shared dependencies.
pub fn nested_cargo(dir: &Path) -> std::process::Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = std::process::Command::new(cargo);
    command
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", nested_target_dir())
        .env("RUSTFLAGS", "-D warnings");
    command
}

/// The generated crate's command line, built with `--features cli` (see [`nested_cargo`]).
pub fn connect_cli(release: bool) -> PathBuf {
    service_cli("connect", release)
}

/// The command line of committed crate `package` (its binary has the crate's name), built with
/// `--features cli` (see [`nested_cargo`]).
pub fn service_cli(package: &str, release: bool) -> PathBuf {
    let mut command = nested_cargo(&workspace_root());
    command.args([
        "build",
        "--locked",
        "-p",
        package,
        "--features",
        "cli",
        "--bin",
        package,
    ]);
    if release {
        command.arg("--release");
    }
    let output = command.output().expect("cargo runs");
    assert!(
        output.status.success(),
        "building the {package} binary failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    nested_target_dir()
        .join(if release { "release" } else { "debug" })
        .join(package)
}

/// The botocore release whose wheel the on-demand whole-botocore tests read.
pub const BOTOCORE_VERSION: &str = "1.44.5";

/// The `botocore/data` folder of botocore's wheel, [`BOTOCORE_VERSION`]: `BOTOCORE_DATA` if set,
/// else the wheel downloaded from PyPI and extracted into `target/`, once (models gunzipped).
pub fn botocore_data() -> PathBuf {
    if let Ok(dir) = std::env::var("BOTOCORE_DATA") {
        return PathBuf::from(dir);
    }
    let cache = workspace_root().join(format!("target/botocore-{BOTOCORE_VERSION}"));
    let data = cache.join("botocore/data");
    if data.is_dir() {
        return data;
    }
    let status = std::process::Command::new("python3")
        .args(["-m", "pip", "download", "--quiet", "--no-deps", "--dest"])
        .arg(&cache)
        .arg(format!("botocore=={BOTOCORE_VERSION}"))
        .status()
        .expect("python3 runs");
    assert!(
        status.success(),
        "pip download of botocore {BOTOCORE_VERSION} failed"
    );
    // Models ship gzipped inside the wheel; Python's standard library unpacks both.
    let script = r#"
import gzip, os, sys, zipfile
cache = sys.argv[1]
wheel = next(f for f in os.listdir(cache) if f.endswith(".whl"))
with zipfile.ZipFile(os.path.join(cache, wheel)) as archive:
    for name in archive.namelist():
        if name.startswith("botocore/data/") and name.endswith((".json", ".json.gz")):
            data = archive.read(name)
            if name.endswith(".gz"):
                data, name = gzip.decompress(data), name[:-3]
            path = os.path.join(cache, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as out:
                out.write(data)
"#;
    let status = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&cache)
        .status()
        .expect("python3 runs");
    assert!(status.success(), "extracting the botocore wheel failed");
    data
}
