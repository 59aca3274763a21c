//! snappy-java's `SnappyOutputStream` format, the one Spark's `snappy` codec writes (not the
//! snappy framing format of the `snap` crate's `read::FrameDecoder`).
//!
//! A 16-byte header (the magic `82 'SNAPPY' 00`, a version and a compatible version, big-endian
//! `i32`s), then blocks: a big-endian `i32` length and that many bytes of raw snappy. A header
//! may appear again where streams were concatenated. Blocks are decoded by `snap`'s raw decoder,
//! which rejects damaged input.

use std::io::{self, Read};

use super::{Blocks, corrupt, read_block_body, read_block_header};

/// The first bytes of a snappy-java stream.
pub const MAGIC: &[u8] = b"\x82SNAPPY\x00";

const HEADER_LENGTH: usize = 16;
/// snappy-java writes blocks of 32 KiB by default and Spark of `spark.io.compression.snappy.blockSize`;
/// anything over 64 MiB is damage, refused before allocating.
const MAX_BLOCK: usize = 1 << 26;

/// The blocks of a snappy-java stream.
pub struct SnappyBlocks<R> {
    input: R,
    decoder: snap::raw::Decoder,
    compressed: Vec<u8>,
}

impl<R: Read> SnappyBlocks<R> {
    pub fn new(input: R) -> Self {
        SnappyBlocks {
            input,
            decoder: snap::raw::Decoder::new(),
            compressed: Vec::new(),
        }
    }
}

impl<R: Read> Blocks for SnappyBlocks<R> {
    fn next_block(&mut self, block: &mut Vec<u8>) -> io::Result<bool> {
        loop {
            let mut length = [0u8; 4];
            if !read_block_header(&mut self.input, &mut length)? {
                return Ok(false);
            }
            if length == MAGIC[..4] {
                // A stream header: the rest of the magic and the two versions.
                let mut rest = [0u8; HEADER_LENGTH - 4];
                read_block_body(&mut self.input, &mut rest)?;
                if rest[..4] != MAGIC[4..] {
                    return Err(corrupt("snappy stream header without its magic"));
                }
                continue;
            }
            let length = usize::try_from(i32::from_be_bytes(length))
                .ok()
                .filter(|&length| length <= MAX_BLOCK)
                .ok_or_else(|| corrupt("snappy block length out of range"))?;
            self.compressed.resize(length, 0);
            read_block_body(&mut self.input, &mut self.compressed)?;
            let original = snap::raw::decompress_len(&self.compressed)
                .map_err(|error| corrupt(format!("damaged snappy block: {error}")))?;
            if original > MAX_BLOCK {
                return Err(corrupt("snappy block length out of range"));
            }
            block.resize(original, 0);
            self.decoder
                .decompress(&self.compressed, block)
                .map_err(|error| corrupt(format!("damaged snappy block: {error}")))?;
            if !block.is_empty() {
                return Ok(true);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(blocks: &[&[u8]]) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend(1i32.to_be_bytes());
        out.extend(1i32.to_be_bytes());
        for block in blocks {
            let body = snap::raw::Encoder::new().compress_vec(block).unwrap();
            out.extend((body.len() as i32).to_be_bytes());
            out.extend(body);
        }
        out
    }

    #[test]
    fn reads_blocks_and_concatenated_streams() {
        let mut bytes = stream(&[b"{\"Event\":\"A\"}\n", b"{\"Event\":\"B\"}\n"]);
        bytes.extend(stream(&[b"{\"Event\":\"C\"}\n"]));
        let mut text = String::new();
        crate::codec::BlockReader::new(SnappyBlocks::new(&bytes[..]))
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(
            text,
            "{\"Event\":\"A\"}\n{\"Event\":\"B\"}\n{\"Event\":\"C\"}\n"
        );
        let mut text = String::new();
        assert!(
            crate::codec::BlockReader::new(SnappyBlocks::new(&bytes[..bytes.len() - 3]))
                .read_to_string(&mut text)
                .is_err()
        );
    }
}
