//! Output files (PDF, Excel, CSV, JSON, templates) written whole or not at all.
//!
//! Every file the program writes for the user goes through here. The bytes go
//! to a temporary file in the same folder (`.<name>.<pid>.<n>.tmp`), which is
//! flushed and synced to disk, then renamed over the target; on Unix the folder
//! is synced too, so the rename itself survives a power cut. A full disk, a
//! killed process or a file held open by another program therefore never leaves
//! a half-written file where the user expects one: an earlier file at the path
//! stays exactly as it was, and the error says so.
//!
//! [`check_target`] is for commands that save to the database and then write a
//! file: it refuses a folder that does not exist or cannot be written *before*
//! anything is committed.
//!
//! Deliberately out: the files the program reads, and the database itself
//! (SQLite journals its own writes).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::{Error, Result};

/// Writes `bytes` to `path` whole, or leaves `path` as it was.
pub fn write_bytes_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic(path, |w| w.write_all(bytes))
}

/// Writes what `fill` produces to `path` whole, or leaves `path` as it was
/// (an error from `fill` midway counts as a failed write).
pub fn write_atomic(path: &Path, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    stage(path, fill)?.commit()
}

/// Writes several files, all or none: every file is written to its temporary
/// file first, and only when all of them are on disk are they renamed into
/// place. (Should a rename fail after another succeeded, the error names the
/// files already saved.)
pub fn write_files_atomic<B: AsRef<[u8]>>(files: &[(&Path, B)]) -> Result<()> {
    let mut staged = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        staged.push(stage(path, |w| w.write_all(bytes.as_ref()))?);
    }
    let mut saved: Vec<String> = Vec::new();
    for file in staged {
        let target = file.target.display().to_string();
        match file.commit() {
            Ok(()) => saved.push(target),
            Err(Error::FileNotSaved { path, reason, kept_earlier }) if !saved.is_empty() => {
                let reason = format!("{reason};已保存的文件:{}", saved.join("、"));
                return Err(Error::FileNotSaved { path, reason, kept_earlier });
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Refuses a target that cannot be written, before any work is done: no file
/// name, a folder, a folder that does not exist or does not accept new files.
/// Nothing is left behind.
pub fn check_target(path: &Path) -> Result<()> {
    if path.as_os_str().is_empty() || path.file_name().is_none() {
        return Err(Error::invalid("请填写要保存的文件名(如 报表.pdf)"));
    }
    if path.is_dir() {
        return Err(Error::invalid(format!("“{}”是一个文件夹,请填写要保存的文件名(如 报表.pdf)", path.display())));
    }
    let dir = folder_of(path);
    if !dir.is_dir() {
        return Err(Error::invalid(format!("文件夹“{}”不存在,请选择其他保存位置", dir.display())));
    }
    // The one sure test that a folder takes new files is to make one there.
    match create_temp(path, "check") {
        Ok((f, probe)) => {
            drop(f);
            let _ = fs::remove_file(&probe);
        }
        Err(e) => {
            return Err(Error::invalid(format!(
                "不能在文件夹“{}”中保存文件:{},请选择其他保存位置",
                dir.display(),
                write_reason(&e, path)
            )))
        }
    }
    // Windows keeps a file open in Excel or a PDF reader locked: say so now
    // rather than after the work is done.
    #[cfg(windows)]
    if path.is_file() {
        if let Err(e) = OpenOptions::new().append(true).open(path) {
            return Err(Error::invalid(format!("不能覆盖“{}”:{}", path.display(), write_reason(&e, path))));
        }
    }
    Ok(())
}

/// A file written to its temporary name, waiting to be renamed into place.
/// Dropped without [`Staged::commit`], the temporary file is removed.
struct Staged {
    tmp: PathBuf,
    target: PathBuf,
    kept_earlier: bool,
    done: bool,
}

impl Staged {
    /// Renames the temporary file over the target (then syncs the folder).
    fn commit(mut self) -> Result<()> {
        if let Err(e) = fs::rename(&self.tmp, &self.target) {
            return Err(self.not_saved(&e));
        }
        self.done = true;
        sync_folder(&self.target);
        Ok(())
    }

    fn not_saved(&self, e: &io::Error) -> Error {
        Error::FileNotSaved {
            path: self.target.display().to_string(),
            reason: write_reason(e, &self.target),
            kept_earlier: self.kept_earlier,
        }
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// Writes the temporary file next to `path`: flushed and on disk, not yet in place.
fn stage(path: &Path, fill: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<Staged> {
    // Through a symbolic link, the file it points to is the one replaced.
    let target = match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
        _ => path.to_path_buf(),
    };
    let earlier = fs::metadata(&target).ok().filter(|m| m.is_file());
    let kept_earlier = earlier.is_some();
    let (file, tmp) = create_temp(&target, "tmp").map_err(|e| Error::FileNotSaved {
        path: target.display().to_string(),
        reason: write_reason(&e, &target),
        kept_earlier,
    })?;
    let staged = Staged { tmp, target, kept_earlier, done: false };
    let written = (|| {
        let mut out = io::BufWriter::new(file);
        fill(&mut out)?;
        let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
        // The replacement keeps the permissions of the file it replaces.
        if let Some(m) = &earlier {
            let _ = file.set_permissions(m.permissions());
        }
        file.sync_all()
    })();
    written.map_err(|e| staged.not_saved(&e))?;
    Ok(staged)
}

/// A new file beside `target` that no one else is using.
fn create_temp(target: &Path, ext: &str) -> io::Result<(File, PathBuf)> {
    let mut last = None;
    for _ in 0..16 {
        let tmp = temp_path(target, ext);
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((f, tmp)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("temporary file")))
}

/// `.<name>.<pid>.<n>.<ext>` in the target's folder: hidden, unique to this
/// process and call, and on the same file system so the rename is atomic.
fn temp_path(target: &Path, ext: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "output".into());
    let n = N.fetch_add(1, Ordering::Relaxed);
    folder_of(target).join(format!(".{name}.{}.{n}.{ext}", std::process::id()))
}

fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Makes the rename durable: on Unix a rename is only on disk once its folder is.
fn sync_folder(target: &Path) {
    #[cfg(unix)]
    if let Ok(dir) = File::open(folder_of(target)) {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = target;
}

/// Why a write failed, in the user's words.
fn write_reason(e: &io::Error, path: &Path) -> String {
    use io::ErrorKind as K;
    // ENOSPC (Unix); ERROR_HANDLE_DISK_FULL / ERROR_DISK_FULL (Windows).
    let full = matches!(e.kind(), K::StorageFull | K::QuotaExceeded)
        || (cfg!(unix) && e.raw_os_error() == Some(28))
        || (cfg!(windows) && matches!(e.raw_os_error(), Some(39 | 112)));
    if full {
        return "磁盘空间不足".into();
    }
    match e.kind() {
        K::FileTooLarge => "文件太大,超过了磁盘或系统允许的大小".into(),
        K::NotFound => format!("文件夹“{}”不存在", folder_of(path).display()),
        K::PermissionDenied => "没有写入权限(文件可能正被其他程序打开,如 Excel 或 PDF 阅读器;或文件夹是只读的)".into(),
        K::ReadOnlyFilesystem => "磁盘或 U 盘是只读的".into(),
        K::IsADirectory => format!("“{}”是一个文件夹", path.display()),
        K::NotADirectory => format!("“{}”不是文件夹", folder_of(path).display()),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        static N: AtomicUsize = AtomicUsize::new(0);
        let d = std::env::temp_dir().join(format!(
            "houqin-output-{name}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).expect("dir");
        d
    }

    /// Everything in `d` but the given file: temporary files left behind.
    fn leftovers(d: &Path, keep: &str) -> Vec<String> {
        fs::read_dir(d)
            .expect("read dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n != keep)
            .collect()
    }

    #[test]
    fn writes_a_new_file_and_replaces_an_old_one_whole() {
        let d = dir("write");
        let path = d.join("报表.pdf");
        write_bytes_atomic(&path, b"first").expect("new");
        assert_eq!(fs::read(&path).expect("read"), b"first");
        write_atomic(&path, |w| {
            w.write_all(b"sec")?;
            w.write_all(b"ond")
        })
        .expect("replace");
        assert_eq!(fs::read(&path).expect("read"), b"second");
        assert!(leftovers(&d, "报表.pdf").is_empty(), "{:?}", leftovers(&d, "报表.pdf"));
        let _ = fs::remove_dir_all(d);
    }

    /// The full-disk case: the writer fails midway, as `write` does on ENOSPC.
    #[test]
    fn a_write_that_fails_midway_leaves_the_earlier_file_and_no_temporary_one() {
        let d = dir("midway");
        let path = d.join("公示.xlsx");
        fs::write(&path, b"the good earlier file").expect("earlier");
        let err = write_atomic(&path, |w| {
            w.write_all(&[b'x'; 100_000])?;
            Err(io::Error::from(io::ErrorKind::StorageFull))
        })
        .expect_err("fails");
        assert_eq!(fs::read(&path).expect("read"), b"the good earlier file");
        assert!(leftovers(&d, "公示.xlsx").is_empty(), "{:?}", leftovers(&d, "公示.xlsx"));
        assert!(matches!(err, Error::FileNotSaved { kept_earlier: true, .. }), "{err:?}");
        let msg = err.to_string();
        assert!(msg.contains("磁盘空间不足") && msg.contains("原有的同名文件没有改动"), "{msg}");

        // No earlier file: the message does not promise one.
        let fresh = d.join("new.xlsx");
        let err = write_atomic(&fresh, |_| Err(io::Error::from(io::ErrorKind::StorageFull))).expect_err("fails");
        assert!(!fresh.exists());
        assert!(!err.to_string().contains("原有"), "{err}");
        let _ = fs::remove_dir_all(d);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_full_device_is_called_a_full_disk() {
        // /dev/full fails every write with ENOSPC, as a full disk does.
        let e = fs::write("/dev/full", b"x").expect_err("/dev/full is full");
        assert_eq!(write_reason(&e, Path::new("/dev/full")), "磁盘空间不足");
    }

    #[test]
    fn a_rename_that_fails_removes_the_temporary_file() {
        let d = dir("rename");
        // A folder where the file should go: the rename is refused.
        let path = d.join("x.pdf");
        fs::create_dir(&path).expect("dir in the way");
        let err = write_bytes_atomic(&path, b"pdf").expect_err("refused");
        assert!(matches!(err, Error::FileNotSaved { .. }), "{err:?}");
        assert!(leftovers(&d, "x.pdf").is_empty(), "{:?}", leftovers(&d, "x.pdf"));
        let _ = fs::remove_dir_all(d);
    }

    #[test]
    fn several_files_are_written_all_or_none() {
        let d = dir("several");
        let (pdf, xlsx) = (d.join("a.pdf"), d.join("a.xlsx"));
        fs::write(&pdf, b"old pdf").expect("earlier");
        let missing = d.join("no-such-folder").join("a.xlsx");
        let err =
            write_files_atomic(&[(pdf.as_path(), &b"new pdf"[..]), (&missing, b"new xlsx")]).expect_err("second fails");
        assert!(err.to_string().contains("no-such-folder"), "{err}");
        assert_eq!(fs::read(&pdf).expect("read"), b"old pdf", "the first was not put in place either");
        assert!(leftovers(&d, "a.pdf").is_empty(), "{:?}", leftovers(&d, "a.pdf"));
        write_files_atomic(&[(pdf.as_path(), &b"new pdf"[..]), (&xlsx, b"new xlsx")]).expect("both");
        assert_eq!(
            (fs::read(&pdf).expect("pdf"), fs::read(&xlsx).expect("xlsx")),
            (b"new pdf".to_vec(), b"new xlsx".to_vec())
        );
        let _ = fs::remove_dir_all(d);
    }

    #[test]
    fn a_target_is_checked_before_any_work() {
        let d = dir("check");
        check_target(&d.join("ok.pdf")).expect("writable folder");
        assert!(leftovers(&d, "").is_empty(), "the probe is removed: {:?}", leftovers(&d, ""));
        let msg = check_target(Path::new("/nonexistent-houqin-dir/x.pdf")).expect_err("no folder").to_string();
        assert_eq!(msg, "文件夹“/nonexistent-houqin-dir”不存在,请选择其他保存位置");
        assert!(check_target(Path::new("")).is_err());
        assert!(check_target(&d).expect_err("a folder").to_string().contains("是一个文件夹"));
        let _ = fs::remove_dir_all(d);
    }

    #[cfg(unix)]
    #[test]
    fn through_a_symbolic_link_the_linked_file_is_replaced() {
        let d = dir("link");
        let real = d.join("real.csv");
        fs::write(&real, b"old").expect("real");
        let link = d.join("link.csv");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        write_bytes_atomic(&link, b"new").expect("write");
        assert!(fs::symlink_metadata(&link).expect("link").file_type().is_symlink(), "the link stays a link");
        assert_eq!(fs::read(&real).expect("read"), b"new");
        let _ = fs::remove_dir_all(d);
    }
}
