//! The compression of an event-log file, told from its name and its first bytes, and a reader
//! that undoes it.
//!
//! Spark compresses an event log with `spark.io.compression.codec`'s Java stream formats when
//! `spark.eventLog.compress` is on (Spark 4 default: on, `zstd`), naming the file after the codec
//! (`events_1_<app>.zstd`, `local-1700000000000.lz4`). Users archive plain logs with gzip. Each
//! format's first bytes are fixed, so the magic decides and the name only breaks ties:
//!
//! | codec | Spark writes it with | magic | reader |
//! | --- | --- | --- | --- |
//! | `zstd` | zstd-jni's `ZstdOutputStream`: standard zstd frames | `28 b5 2f fd` | the `zstd` crate (libzstd, the reference decoder) |
//! | `lz4` | lz4-java's `LZ4BlockOutputStream` (not the LZ4 frame format) | `LZ4Block` | [`lz4_block`], blocks decoded by `lz4_flex` |
//! | `snappy` | snappy-java's `SnappyOutputStream` | `82 'SNAPPY' 00` | [`snappy_stream`], blocks decoded by `snap` |
//! | `lzf` | ning compress-lzf's `LZFOutputStream` | `ZV` | [`lzf_stream`] (its own decoder: no maintained crate reads LZF) |
//! | gzip | `gzip` | `1f 8b` | `flate2`'s multi-member decoder |

pub mod lz4_block;
pub mod lzf_stream;
pub mod snappy_stream;

use std::io::{self, BufRead, BufReader, Read};

/// How an event-log file is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    /// JSON lines as they are.
    Plain,
    Zstd,
    /// lz4-java's block stream.
    Lz4,
    /// snappy-java's stream.
    Snappy,
    /// ning compress-lzf's chunk stream.
    Lzf,
    Gzip,
}

impl Codec {
    /// The codec a file name announces: its last extension, after an `.inprogress` suffix.
    pub fn from_name(name: &str) -> Option<Codec> {
        let name = name.strip_suffix(".inprogress").unwrap_or(name);
        let extension = name.rsplit_once('.')?.1;
        match extension.to_ascii_lowercase().as_str() {
            "zstd" | "zst" => Some(Codec::Zstd),
            "lz4" => Some(Codec::Lz4),
            "snappy" => Some(Codec::Snappy),
            "lzf" => Some(Codec::Lzf),
            "gz" => Some(Codec::Gzip),
            "json" => Some(Codec::Plain),
            _ => None,
        }
    }

    /// The codec whose magic starts `head` (the first bytes of a file), if any.
    pub fn from_magic(head: &[u8]) -> Option<Codec> {
        if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Some(Codec::Zstd)
        } else if head.starts_with(lz4_block::MAGIC) {
            Some(Codec::Lz4)
        } else if head.starts_with(snappy_stream::MAGIC) {
            Some(Codec::Snappy)
        } else if head.starts_with(lzf_stream::MAGIC) {
            Some(Codec::Lzf)
        } else if head.starts_with(&[0x1f, 0x8b]) {
            Some(Codec::Gzip)
        } else if head.first() == Some(&b'{') {
            Some(Codec::Plain)
        } else {
            None
        }
    }

    /// The codec's name as Spark spells it.
    pub fn name(self) -> &'static str {
        match self {
            Codec::Plain => "plain",
            Codec::Zstd => "zstd",
            Codec::Lz4 => "lz4",
            Codec::Snappy => "snappy",
            Codec::Lzf => "lzf",
            Codec::Gzip => "gzip",
        }
    }
}

/// A reader of the decompressed bytes of `input`, the codec told by its magic (else by `name`),
/// and the codec used. An empty input reads as an empty plain log. An input whose first bytes
/// match no codec and whose name names none is an error.
pub fn decompress<'r>(
    name: &str,
    input: impl Read + 'r,
) -> io::Result<(Codec, Box<dyn Read + 'r>)> {
    let mut input = BufReader::with_capacity(1 << 16, input);
    let head = input.fill_buf()?;
    let codec = if head.is_empty() {
        Codec::Plain
    } else {
        match Codec::from_magic(head).or_else(|| Codec::from_name(name)) {
            Some(codec) => codec,
            None => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "not a Spark event log: the file starts with neither a JSON event nor the \
                     magic bytes of a codec Spark writes (zstd, lz4, snappy, lzf) or gzip",
                ));
            }
        }
    };
    let reader: Box<dyn Read + 'r> = match codec {
        Codec::Plain => Box::new(input),
        Codec::Zstd => Box::new(zstd::stream::read::Decoder::with_buffer(input)?),
        Codec::Lz4 => Box::new(BlockReader::new(lz4_block::Lz4Blocks::new(input))),
        Codec::Snappy => Box::new(BlockReader::new(snappy_stream::SnappyBlocks::new(input))),
        Codec::Lzf => Box::new(BlockReader::new(lzf_stream::LzfChunks::new(input))),
        Codec::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(input)),
    };
    Ok((codec, reader))
}

/// Reads exactly `buffer.len()` bytes, or returns `Ok(false)` when the input ends before the
/// first byte (a clean end between blocks). An input that ends inside is `UnexpectedEof`.
pub(crate) fn read_block_header(input: &mut impl Read, buffer: &mut [u8]) -> io::Result<bool> {
    let mut filled = 0;
    while filled < buffer.len() {
        match input.read(&mut buffer[filled..]) {
            Ok(0) if filled == 0 => return Ok(false),
            Ok(0) => {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the file ends inside a block header",
                ));
            }
            Ok(read) => filled += read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(true)
}

/// Reads exactly `buffer.len()` bytes of a block body: the input ending first is an error.
pub(crate) fn read_block_body(input: &mut impl Read, buffer: &mut [u8]) -> io::Result<()> {
    input.read_exact(buffer).map_err(|error| {
        if error.kind() == io::ErrorKind::UnexpectedEof {
            io::Error::new(io::ErrorKind::UnexpectedEof, "the file ends inside a block")
        } else {
            error
        }
    })
}

/// An `InvalidData` error with `message`.
pub(crate) fn corrupt(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.into())
}

/// A stream of blocks, each decoded whole: the part that differs between the Java codecs.
pub trait Blocks {
    /// Decodes the next block into `block` (cleared first); `Ok(false)` at the end of the input.
    fn next_block(&mut self, block: &mut Vec<u8>) -> io::Result<bool>;
}

/// Reads the bytes of a [`Blocks`] stream one decoded block at a time.
pub struct BlockReader<B> {
    blocks: B,
    block: Vec<u8>,
    at: usize,
}

impl<B: Blocks> BlockReader<B> {
    pub fn new(blocks: B) -> Self {
        BlockReader {
            blocks,
            block: Vec::new(),
            at: 0,
        }
    }
}

impl<B: Blocks> Read for BlockReader<B> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.at == self.block.len() {
            self.block.clear();
            self.at = 0;
            if out.is_empty() || !self.blocks.next_block(&mut self.block)? {
                return Ok(0);
            }
        }
        let count = (self.block.len() - self.at).min(out.len());
        out[..count].copy_from_slice(&self.block[self.at..self.at + count]);
        self.at += count;
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_magic_decides_over_the_name() {
        assert_eq!(Codec::from_magic(b"LZ4Block\x20"), Some(Codec::Lz4));
        assert_eq!(
            Codec::from_magic(b"\x82SNAPPY\x00\x00"),
            Some(Codec::Snappy)
        );
        assert_eq!(Codec::from_magic(b"ZV\x01"), Some(Codec::Lzf));
        assert_eq!(Codec::from_magic(b"{\"Event\""), Some(Codec::Plain));
        assert_eq!(Codec::from_magic(b"\x28\xb5\x2f\xfd"), Some(Codec::Zstd));
        assert_eq!(Codec::from_magic(b"PK\x03\x04"), None);
        assert_eq!(Codec::from_name("events_1_app-1.zstd"), Some(Codec::Zstd));
        assert_eq!(Codec::from_name("local-1.lz4.inprogress"), Some(Codec::Lz4));
        assert_eq!(Codec::from_name("local-1"), None);
        let (codec, _) = decompress("events_1_x.zstd", &b"{\"Event\":\"A\"}\n"[..]).unwrap();
        assert_eq!(codec, Codec::Plain);
        assert!(decompress("x", &b"PK\x03\x04"[..]).is_err());
    }
}
