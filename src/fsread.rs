//! Reading the files rampart is given or finds (sources, module manifests, var files,
//! policies, configuration, baselines): only regular files, checked before they are
//! opened and again on the open handle, and never more than a size limit. A FIFO, a
//! device or a socket is refused without being read, so nothing blocks forever and a
//! link to `/dev/zero` or a 2 GB sparse file is refused by what it is, not read.

use std::io::Read;
use std::path::Path;

/// Files larger than this are refused unless `[limits] file_size` says otherwise; far
/// above any real infrastructure code (the largest plans seen are under 100 MB).
pub const DEFAULT_MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ReadFileError {
    #[error("{0}, not a regular file: only regular files are read")]
    NotRegular(&'static str),
    #[error(
        "{size} bytes, more than the limit of {limit} bytes (raise `[limits] file_size` in rampart.toml)"
    )]
    TooLarge { size: u64, limit: u64 },
    #[error("cannot read file: {0}")]
    Io(#[from] std::io::Error),
}

/// What a file that is not regular is, for messages.
pub fn describe(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device";
        }
    }
    if file_type.is_dir() {
        "a directory"
    } else {
        "a special file"
    }
}

/// Checks that `path` (links followed) is a regular file of at most `limit` bytes.
pub fn check_regular(path: &Path, limit: u64) -> Result<u64, ReadFileError> {
    let metadata = std::fs::metadata(path)?;
    if !metadata.is_file() {
        return Err(ReadFileError::NotRegular(describe(metadata.file_type())));
    }
    if metadata.len() > limit {
        return Err(ReadFileError::TooLarge {
            size: metadata.len(),
            limit,
        });
    }
    Ok(metadata.len())
}

/// The bytes of a regular file of at most `limit` bytes.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, ReadFileError> {
    let expected = check_regular(path, limit)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        // Should the file be swapped for a FIFO after the check, opening it must not block.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(ReadFileError::NotRegular(describe(metadata.file_type())));
    }
    let mut bytes = Vec::with_capacity(expected.min(limit) as usize);
    // A file that grows while it is read still stops at the limit.
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadFileError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// The UTF-8 text of a regular file of at most `limit` bytes.
pub fn read_string(path: &Path, limit: u64) -> Result<String, ReadFileError> {
    let bytes = read_bytes(path, limit)?;
    String::from_utf8(bytes).map_err(|_| {
        ReadFileError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "not UTF-8 text",
        ))
    })
}

/// Why a source file's text could not be had.
pub enum ReadTextError {
    /// Not read at all (the message says why).
    Io(String),
    /// Read, but not UTF-8: `lossy` is a readable copy, `offset` the first bad byte.
    NotUtf8 { lossy: String, offset: usize },
}

/// A source file as UTF-8 text, a byte-order mark dropped.
pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadTextError> {
    let bytes = read_bytes(path, limit).map_err(|e| ReadTextError::Io(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        ReadTextError::NotUtf8 {
            lossy: String::from_utf8_lossy(e.as_bytes()).into_owned(),
            offset,
        }
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(stripped) => stripped.to_string(),
        None => text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_are_read_within_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.tf");
        std::fs::write(&path, "12345").unwrap();
        assert_eq!(read_bytes(&path, 5).unwrap(), b"12345");
        assert!(matches!(
            read_bytes(&path, 4),
            Err(ReadFileError::TooLarge { size: 5, limit: 4 })
        ));
        assert!(matches!(
            read_bytes(dir.path(), 100),
            Err(ReadFileError::NotRegular("a directory"))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn devices_fifos_and_links_to_them_are_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("modules.json");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        assert!(matches!(
            read_bytes(&link, u64::MAX),
            Err(ReadFileError::NotRegular("a device"))
        ));
        let fifo = dir.path().join("policy.toml");
        let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo reads a NUL-terminated path and touches nothing else.
        #[allow(unsafe_code)]
        let made = unsafe { libc::mkfifo(name.as_ptr(), 0o600) };
        assert_eq!(made, 0);
        assert!(matches!(
            read_bytes(&fifo, u64::MAX),
            Err(ReadFileError::NotRegular("a FIFO"))
        ));
    }

    #[test]
    fn a_sparse_file_is_refused_by_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.json");
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(2 * 1024 * 1024 * 1024).unwrap();
        assert!(matches!(
            read_bytes(&path, DEFAULT_MAX_FILE_BYTES),
            Err(ReadFileError::TooLarge { .. })
        ));
    }
}
