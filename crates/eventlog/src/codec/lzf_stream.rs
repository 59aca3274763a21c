//! ning compress-lzf's `LZFOutputStream` format, the one Spark's `lzf` codec writes.
//!
//! A run of chunks, each `Z` `V` and a type byte: type 0 is stored (a big-endian `u16` length and
//! the bytes), type 1 is compressed (the compressed and the original length as big-endian `u16`s,
//! then LZF data). No maintained crate reads this chunk format in pure Rust, and LZF itself is a
//! dozen lines: a control byte under 32 starts a run of that many plus one literal bytes; above,
//! its top three bits (plus a byte when they are all set) give a back-reference's length minus
//! two and its low five bits with the next byte the distance minus one.

use std::io::{self, Read};

use super::{Blocks, corrupt, read_block_body, read_block_header};

/// The first bytes of every chunk.
pub const MAGIC: &[u8] = b"ZV";

/// The chunks of an LZF stream.
pub struct LzfChunks<R> {
    input: R,
    compressed: Vec<u8>,
}

impl<R: Read> LzfChunks<R> {
    pub fn new(input: R) -> Self {
        LzfChunks {
            input,
            compressed: Vec::new(),
        }
    }
}

impl<R: Read> Blocks for LzfChunks<R> {
    fn next_block(&mut self, block: &mut Vec<u8>) -> io::Result<bool> {
        let mut header = [0u8; 5];
        if !read_block_header(&mut self.input, &mut header)? {
            return Ok(false);
        }
        if &header[..2] != MAGIC {
            return Err(corrupt("lzf chunk without its ZV magic"));
        }
        let first = usize::from(u16::from_be_bytes([header[3], header[4]]));
        match header[2] {
            0 => {
                block.resize(first, 0);
                read_block_body(&mut self.input, block)?;
            }
            1 => {
                let mut original = [0u8; 2];
                read_block_body(&mut self.input, &mut original)?;
                self.compressed.resize(first, 0);
                read_block_body(&mut self.input, &mut self.compressed)?;
                decompress(&self.compressed, block)?;
                if block.len() != usize::from(u16::from_be_bytes(original)) {
                    return Err(corrupt("damaged lzf chunk: it decodes to the wrong length"));
                }
            }
            other => return Err(corrupt(format!("lzf chunk of unknown type {other}"))),
        }
        Ok(true)
    }
}

/// Appends the LZF decoding of `input` to `out`.
fn decompress(input: &[u8], out: &mut Vec<u8>) -> io::Result<()> {
    let damaged = || corrupt("damaged lzf chunk");
    let mut at = 0;
    while at < input.len() {
        let control = usize::from(input[at]);
        at += 1;
        if control < 32 {
            let literal = input.get(at..at + control + 1).ok_or_else(damaged)?;
            out.extend_from_slice(literal);
            at += control + 1;
        } else {
            let mut length = control >> 5;
            if length == 7 {
                length += usize::from(*input.get(at).ok_or_else(damaged)?);
                at += 1;
            }
            let low = usize::from(*input.get(at).ok_or_else(damaged)?);
            at += 1;
            let distance = ((control & 0x1f) << 8) + low + 1;
            let start = out.len().checked_sub(distance).ok_or_else(damaged)?;
            // The reference may overlap what it produces: copy byte by byte.
            for index in start..start + length + 2 {
                out.push(out[index]);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_literals_and_overlapping_references() {
        // "abc" literal, then a back-reference of length 6 at distance 3: "abcabcabc".
        let compressed = [2, b'a', b'b', b'c', (4 << 5), 2];
        let mut chunk = b"ZV\x01".to_vec();
        chunk.extend((compressed.len() as u16).to_be_bytes());
        chunk.extend(9u16.to_be_bytes());
        chunk.extend(compressed);
        chunk.extend(b"ZV\x00\x00\x02!\n");
        let mut text = String::new();
        crate::codec::BlockReader::new(LzfChunks::new(&chunk[..]))
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "abcabcabc!\n");
        let mut text = String::new();
        assert!(
            crate::codec::BlockReader::new(LzfChunks::new(&b"ZV\x01\x00\x02\x00\x05\xe0"[..]))
                .read_to_string(&mut text)
                .is_err()
        );
    }
}
