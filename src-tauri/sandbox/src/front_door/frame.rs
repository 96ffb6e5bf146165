//! Kafka framing: every request and response is a 4-byte big-endian size, then that many bytes.

use std::io;

use bytes::{Bytes, BytesMut};
use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader, BufWriter,
    ReadHalf, WriteHalf,
};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::TcpStream;
use tokio_rustls::server::TlsStream;

/// Both halves of one buffered connection.
pub(super) struct Io<R, W> {
    pub rd: BufReader<R>,
    pub wr: BufWriter<W>,
}

pub(super) type Client = Io<ReadHalf<TlsStream<TcpStream>>, WriteHalf<TlsStream<TcpStream>>>;
pub(super) type Upstream = Io<OwnedReadHalf, OwnedWriteHalf>;

/// The largest request a client may send once authenticated: Kafka's default
/// `socket.request.max.bytes` (100 MiB).
pub(super) const MAX_REQUEST: usize = 100 * 1024 * 1024;
/// The largest frame before authentication: ApiVersions and SASL frames are tiny, and an
/// unauthenticated peer must not make us allocate much.
pub(super) const MAX_UNAUTHENTICATED: usize = 64 * 1024;

fn invalid(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.into())
}

/// The next frame's size, or None if the peer closed cleanly between frames.
pub(super) async fn read_size<R: AsyncBufRead + Unpin>(
    rd: &mut R,
    max: usize,
) -> io::Result<Option<usize>> {
    // A clean close shows as an empty buffer before the first byte of a frame.
    if rd.fill_buf().await?.is_empty() {
        return Ok(None);
    }
    let size = rd.read_i32().await?;
    match usize::try_from(size) {
        Ok(n) if n <= max => Ok(Some(n)),
        _ => Err(invalid(format!(
            "frame size {size} out of range (max {max})"
        ))),
    }
}

/// How much a frame's buffer grows at a time: a peer that announces 100 MiB and sends nothing
/// costs this much, not what it announced.
pub(super) const IO_CHUNK: usize = 64 * 1024;

/// Appends exactly `n` bytes read from `rd` to `buf`, growing it as the bytes arrive.
pub(super) async fn read_into<R: AsyncBufRead + Unpin>(
    rd: &mut R,
    buf: &mut BytesMut,
    mut n: usize,
) -> io::Result<()> {
    while n > 0 {
        let chunk = rd.fill_buf().await?;
        if chunk.is_empty() {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        let take = chunk.len().min(n);
        buf.extend_from_slice(&chunk[..take]);
        rd.consume(take);
        n -= take;
    }
    Ok(())
}

/// Exactly `n` bytes.
pub(super) async fn read_bytes<R: AsyncBufRead + Unpin>(
    rd: &mut R,
    n: usize,
) -> io::Result<BytesMut> {
    let mut buf = BytesMut::with_capacity(n.min(IO_CHUNK));
    read_into(rd, &mut buf, n).await?;
    Ok(buf)
}

/// A whole frame (without its size), or None on a clean close.
pub(super) async fn read_frame<R: AsyncBufRead + Unpin>(
    rd: &mut R,
    max: usize,
) -> io::Result<Option<Bytes>> {
    match read_size(rd, max).await? {
        Some(n) => Ok(Some(read_bytes(rd, n).await?.freeze())),
        None => Ok(None),
    }
}

/// Writes one frame (size, then body); does not flush.
pub(super) async fn write_frame<W: AsyncWrite + Unpin>(wr: &mut W, body: &[u8]) -> io::Result<()> {
    let size = i32::try_from(body.len()).map_err(|_| invalid("frame too large"))?;
    wr.write_i32(size).await?;
    wr.write_all(body).await
}

/// Moves exactly `n` bytes from `rd` to `wr` through their buffers, without decoding and
/// without a copy of its own.
pub(super) async fn copy_exact<R, W>(rd: &mut R, wr: &mut W, mut n: usize) -> io::Result<()>
where
    R: AsyncBufRead + Unpin,
    W: AsyncWrite + Unpin,
{
    while n > 0 {
        let chunk = rd.fill_buf().await?;
        if chunk.is_empty() {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        let take = chunk.len().min(n);
        wr.write_all(&chunk[..take]).await?;
        rd.consume(take);
        n -= take;
    }
    Ok(())
}

/// Flushes `wr` unless more input is already buffered: a burst of frames then leaves as a few
/// large writes (and TLS records) instead of one per frame, and nothing waits unflushed while
/// we wait for input.
pub(super) async fn flush_if_idle<R, W>(rd: &BufReader<R>, wr: &mut W) -> io::Result<()>
where
    R: tokio::io::AsyncRead,
    W: AsyncWrite + Unpin,
{
    if rd.buffer().is_empty() {
        wr.flush().await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn frames_round_trip_and_sizes_are_checked() {
        let mut out = Vec::new();
        write_frame(&mut out, b"hello").await.unwrap();
        write_frame(&mut out, b"").await.unwrap();
        let mut rd = BufReader::new(&out[..]);
        assert_eq!(
            &read_frame(&mut rd, 16).await.unwrap().unwrap()[..],
            b"hello"
        );
        assert_eq!(read_frame(&mut rd, 16).await.unwrap().unwrap().len(), 0);
        assert!(read_frame(&mut rd, 16).await.unwrap().is_none()); // clean close

        let mut rd = BufReader::new(&[0u8, 0, 0, 17][..]);
        assert!(read_frame(&mut rd, 16).await.is_err()); // too large
        let mut rd = BufReader::new(&[0xffu8, 0xff, 0xff, 0xff][..]);
        assert!(read_frame(&mut rd, 16).await.is_err()); // negative
        let mut rd = BufReader::new(&[0u8, 0, 0, 4, 1][..]);
        assert!(read_frame(&mut rd, 16).await.is_err()); // cut short
    }

    #[tokio::test]
    async fn copy_exact_moves_only_what_was_asked() {
        let input: Vec<u8> = (0..=255u8).cycle().take(200_000).collect();
        let mut rd = BufReader::with_capacity(1000, &input[..]);
        let mut out = Vec::new();
        copy_exact(&mut rd, &mut out, 150_000).await.unwrap();
        assert_eq!(out, input[..150_000]);
        let mut rest = Vec::new();
        rd.read_to_end(&mut rest).await.unwrap();
        assert_eq!(rest, input[150_000..]);
        assert!(copy_exact(&mut BufReader::new(&b"ab"[..]), &mut out, 3)
            .await
            .is_err());
    }
}
