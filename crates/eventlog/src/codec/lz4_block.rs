//! lz4-java's `LZ4BlockOutputStream` format, the one Spark's `lz4` codec writes (it is not the
//! LZ4 frame format the `lz4` command reads).
//!
//! The stream is a run of blocks, each with a 21-byte header: the magic `LZ4Block`, a token
//! (`0x10` stored, `0x20` LZ4-compressed, ORed with the compression level), the compressed and
//! the original length (little-endian `i32`), and the XXH32 of the original bytes (seed
//! `0x9747b28c`) masked to 28 bits. A stored block of length 0 ends one stream; another stream
//! may follow (`LZ4BlockInputStream` reads on). Blocks are decoded by `lz4_flex` and their
//! checksums checked, so a damaged block is an error, not garbage.

use std::io::{self, Read};

use super::{Blocks, corrupt, read_block_body, read_block_header};

/// The first bytes of every block.
pub const MAGIC: &[u8] = b"LZ4Block";

const HEADER_LENGTH: usize = 21;
const METHOD_STORED: u8 = 0x10;
const METHOD_LZ4: u8 = 0x20;
const CHECKSUM_SEED: u32 = 0x9747_b28c;
/// lz4-java refuses blocks over 32 MiB; so does this reader, before allocating.
const MAX_BLOCK: usize = 1 << 25;

/// The blocks of an lz4-java block stream.
pub struct Lz4Blocks<R> {
    input: R,
    compressed: Vec<u8>,
}

impl<R: Read> Lz4Blocks<R> {
    pub fn new(input: R) -> Self {
        Lz4Blocks {
            input,
            compressed: Vec::new(),
        }
    }
}

impl<R: Read> Blocks for Lz4Blocks<R> {
    fn next_block(&mut self, block: &mut Vec<u8>) -> io::Result<bool> {
        loop {
            let mut header = [0u8; HEADER_LENGTH];
            if !read_block_header(&mut self.input, &mut header)? {
                return Ok(false);
            }
            if &header[..8] != MAGIC {
                return Err(corrupt("lz4 block without its LZ4Block magic"));
            }
            let method = header[8] & 0xf0;
            let compressed_length = length(&header[9..13])?;
            let original_length = length(&header[13..17])?;
            let checksum = u32::from_le_bytes(header[17..21].try_into().expect("4 bytes"));
            if original_length == 0 && compressed_length == 0 {
                // The end of one stream; another may follow.
                continue;
            }
            block.resize(original_length, 0);
            match method {
                METHOD_STORED if compressed_length == original_length => {
                    read_block_body(&mut self.input, block)?;
                }
                METHOD_LZ4 => {
                    self.compressed.resize(compressed_length, 0);
                    read_block_body(&mut self.input, &mut self.compressed)?;
                    let written = lz4_flex::block::decompress_into(&self.compressed, block)
                        .map_err(|error| corrupt(format!("damaged lz4 block: {error}")))?;
                    if written != original_length {
                        return Err(corrupt("damaged lz4 block: it decodes to the wrong length"));
                    }
                }
                _ => {
                    return Err(corrupt(format!(
                        "lz4 block with unknown method {method:#x}"
                    )));
                }
            }
            let expected = xxhash_rust::xxh32::xxh32(block, CHECKSUM_SEED) & 0x0fff_ffff;
            if expected != checksum {
                return Err(corrupt("damaged lz4 block: its checksum does not match"));
            }
            return Ok(true);
        }
    }
}

/// A block length field: a little-endian `i32` from 0 to 32 MiB.
fn length(bytes: &[u8]) -> io::Result<usize> {
    let value = i32::from_le_bytes(bytes.try_into().expect("4 bytes"));
    usize::try_from(value)
        .ok()
        .filter(|&length| length <= MAX_BLOCK)
        .ok_or_else(|| corrupt(format!("lz4 block length {value} out of range")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::BlockReader;

    fn lz4(bytes: &[u8]) -> BlockReader<Lz4Blocks<&[u8]>> {
        BlockReader::new(Lz4Blocks::new(bytes))
    }

    /// One block as lz4-java writes it.
    fn block(original: &[u8], compress: bool) -> Vec<u8> {
        let body = if compress {
            lz4_flex::block::compress(original)
        } else {
            original.to_vec()
        };
        let mut out = MAGIC.to_vec();
        out.push(if compress {
            METHOD_LZ4 | 1
        } else {
            METHOD_STORED
        });
        out.extend((body.len() as i32).to_le_bytes());
        out.extend((original.len() as i32).to_le_bytes());
        let checksum = xxhash_rust::xxh32::xxh32(original, CHECKSUM_SEED) & 0x0fff_ffff;
        out.extend(checksum.to_le_bytes());
        out.extend(body);
        out
    }

    fn end() -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.push(METHOD_STORED);
        out.extend([0u8; 12]);
        out
    }

    #[test]
    fn reads_stored_and_compressed_blocks_across_streams() {
        let mut stream = block(b"{\"Event\":\"A\"}\n", true);
        stream.extend(block(b"{\"Event\":\"B\"}\n", false));
        stream.extend(end());
        stream.extend(block(b"{\"Event\":\"C\"}\n", true));
        stream.extend(end());
        let mut text = String::new();
        lz4(&stream[..]).read_to_string(&mut text).unwrap();
        assert_eq!(
            text,
            "{\"Event\":\"A\"}\n{\"Event\":\"B\"}\n{\"Event\":\"C\"}\n"
        );
    }

    #[test]
    fn damage_is_an_error() {
        let mut stream = block(&b"{\"Event\":\"A\"}\n".repeat(20), true);
        let last = stream.len() - 3;
        stream[last] ^= 0x55;
        let mut text = String::new();
        assert!(lz4(&stream[..]).read_to_string(&mut text).is_err());
        let cut = block(b"{\"Event\":\"A\"}\n", true);
        let mut text = String::new();
        let error = lz4(&cut[..cut.len() - 2])
            .read_to_string(&mut text)
            .unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof);
    }
}
