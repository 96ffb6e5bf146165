//! A bounds-checked walk over a client's request frame, driven by the request layouts in
//! `requests_gen.rs`. It reads every field of the request (so a frame that doesn't parse whole is
//! refused), keeps the strings and integers authorization needs, and remembers where each field
//! and array element lies so a request can be edited by splicing bytes.
//!
//! Every length and count is checked against the bytes present before anything is reserved;
//! arrays grow as their elements parse. A frame of N bytes costs O(N) work and memory whatever
//! its counts claim.

use std::ops::Range;

/// The wire types of the fields the walker reads. Strings, bytes and arrays are compact in a
/// message's flexible versions; a null (length -1, or compact 0) is accepted everywhere.
#[derive(Debug)]
pub enum Ty {
    I8,
    I16,
    I32,
    I64,
    Uuid,
    Str,
    Bytes,
    Arr(&'static Struct),
    ArrI32,
    ArrI64,
    ArrStr,
}

/// A field and the versions it is on the wire in.
#[derive(Debug)]
pub struct Field {
    pub ty: Ty,
    pub min: i16,
    pub max: i16,
}

#[derive(Debug)]
pub struct Struct {
    pub name: &'static str,
    pub fields: &'static [Field],
}

/// One request type.
#[derive(Debug)]
pub struct Api {
    pub key: i16,
    pub min: i16,
    pub max: i16,
    /// First flexible version (compact encodings and tagged fields), i16::MAX if none.
    pub flexible: i16,
    pub root: &'static Struct,
}

impl Api {
    pub fn is_flexible(&self, version: i16) -> bool {
        version >= self.flexible
    }
}

/// A field's value. Strings are kept (lossy UTF-8); byte fields only as a range of the frame.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Absent,
    Int(i64),
    Str(Option<String>),
    Bytes(Option<Range<usize>>),
    Uuid([u8; 16]),
    Arr(Option<Vec<Elem>>),
    Ints(Option<Vec<i64>>),
    Strs(Option<Vec<String>>),
}

/// One struct instance: its bytes in the frame, its fields' values and their byte ranges.
#[derive(Debug, Clone, PartialEq)]
pub struct Elem {
    pub span: Range<usize>,
    pub vals: Vec<Val>,
    pub spans: Vec<Range<usize>>,
}

static NO_ELEMS: Vec<Elem> = Vec::new();

impl Elem {
    pub fn int(&self, i: usize) -> Option<i64> {
        match self.vals.get(i) {
            Some(Val::Int(n)) => Some(*n),
            _ => None,
        }
    }
    /// A string field; None when absent or null.
    pub fn str(&self, i: usize) -> Option<&str> {
        match self.vals.get(i) {
            Some(Val::Str(Some(s))) => Some(s),
            _ => None,
        }
    }
    pub fn is_null(&self, i: usize) -> bool {
        matches!(
            self.vals.get(i),
            Some(Val::Str(None) | Val::Arr(None) | Val::Ints(None) | Val::Strs(None))
        )
    }
    /// An array of structs; empty when absent or null.
    pub fn arr(&self, i: usize) -> &[Elem] {
        match self.vals.get(i) {
            Some(Val::Arr(Some(v))) => v,
            _ => &NO_ELEMS,
        }
    }
    pub fn ints(&self, i: usize) -> &[i64] {
        match self.vals.get(i) {
            Some(Val::Ints(Some(v))) => v,
            _ => &[],
        }
    }
    pub fn strs(&self, i: usize) -> &[String] {
        match self.vals.get(i) {
            Some(Val::Strs(Some(v))) => v,
            _ => &[],
        }
    }
    pub fn bytes(&self, i: usize) -> Option<Range<usize>> {
        match self.vals.get(i) {
            Some(Val::Bytes(r)) => r.clone(),
            _ => None,
        }
    }
}

/// A walked request: header fields, and the body as the root struct.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub api_key: i16,
    pub version: i16,
    pub correlation_id: i32,
    pub flexible: bool,
    pub body: Elem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkError(pub String);

impl std::fmt::Display for WalkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn err<T>(msg: impl Into<String>) -> Result<T, WalkError> {
    Err(WalkError(msg.into()))
}

struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
    flexible: bool,
}

impl Cursor<'_> {
    fn left(&self) -> usize {
        self.buf.len() - self.pos
    }
    fn take(&mut self, n: usize) -> Result<&[u8], WalkError> {
        if n > self.left() {
            return err(format!(
                "needs {n} bytes at offset {}, {} left",
                self.pos,
                self.left()
            ));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    fn be<const N: usize>(&mut self) -> Result<[u8; N], WalkError> {
        Ok(self.take(N)?.try_into().expect("N bytes"))
    }
    fn uvarint(&mut self) -> Result<u32, WalkError> {
        let mut value: u32 = 0;
        for i in 0..5 {
            let b = self.take(1)?[0];
            value |= u32::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        err("unsigned varint longer than 5 bytes")
    }
    /// A length or count that must fit in what is left; None for null.
    fn length(&mut self) -> Result<Option<usize>, WalkError> {
        let n: i64 = if self.flexible {
            i64::from(self.uvarint()?) - 1
        } else {
            i64::from(i32::from_be_bytes(self.be()?))
        };
        if n < -1 {
            return err(format!("negative length {n}"));
        }
        if n == -1 {
            return Ok(None);
        }
        let n = n as usize;
        if n > self.left() {
            return err(format!("length {n} exceeds the {} bytes left", self.left()));
        }
        Ok(Some(n))
    }
    fn string(&mut self, compact: bool) -> Result<Option<String>, WalkError> {
        let n = if compact {
            self.length()?
        } else {
            // Non-compact strings (and the header's client id) have an i16 length.
            let n = i16::from_be_bytes(self.be()?);
            if n < -1 {
                return err(format!("negative string length {n}"));
            }
            (n >= 0).then_some(n as usize)
        };
        match n {
            None => Ok(None),
            Some(n) => Ok(Some(String::from_utf8_lossy(self.take(n)?).into_owned())),
        }
    }
    fn tagged_fields(&mut self) -> Result<(), WalkError> {
        let n = self.uvarint()?;
        if n as usize > self.left() {
            return err("more tagged fields than bytes");
        }
        for _ in 0..n {
            self.uvarint()?;
            let size = self.uvarint()? as usize;
            self.take(size)?;
        }
        Ok(())
    }
}

fn walk_struct(c: &mut Cursor, s: &Struct, version: i16) -> Result<Elem, WalkError> {
    let start = c.pos;
    let mut vals = Vec::with_capacity(s.fields.len());
    let mut spans = Vec::with_capacity(s.fields.len());
    for f in s.fields {
        let at = c.pos;
        let v = if version < f.min || version > f.max {
            Val::Absent
        } else {
            walk_field(c, &f.ty, version).map_err(|e| WalkError(format!("{}: {e}", s.name)))?
        };
        vals.push(v);
        spans.push(at..c.pos);
    }
    if c.flexible {
        c.tagged_fields()?;
    }
    Ok(Elem {
        span: start..c.pos,
        vals,
        spans,
    })
}

fn walk_array<T>(
    c: &mut Cursor,
    mut one: impl FnMut(&mut Cursor) -> Result<T, WalkError>,
) -> Result<Option<Vec<T>>, WalkError> {
    let Some(count) = c.length()? else {
        return Ok(None);
    };
    // No reservation from the count: the vector grows as elements really parse.
    let mut out = Vec::new();
    for _ in 0..count {
        let before = c.pos;
        out.push(one(c)?);
        if c.pos == before {
            return err("an array element of zero bytes");
        }
    }
    Ok(Some(out))
}

fn walk_field(c: &mut Cursor, ty: &Ty, version: i16) -> Result<Val, WalkError> {
    let compact = c.flexible;
    Ok(match ty {
        Ty::I8 => Val::Int(i64::from(i8::from_be_bytes(c.be()?))),
        Ty::I16 => Val::Int(i64::from(i16::from_be_bytes(c.be()?))),
        Ty::I32 => Val::Int(i64::from(i32::from_be_bytes(c.be()?))),
        Ty::I64 => Val::Int(i64::from_be_bytes(c.be()?)),
        Ty::Uuid => Val::Uuid(c.be()?),
        Ty::Str => Val::Str(c.string(compact)?),
        Ty::Bytes => {
            let n = c.length()?;
            Val::Bytes(match n {
                None => None,
                Some(n) => {
                    let at = c.pos;
                    c.take(n)?;
                    Some(at..at + n)
                }
            })
        }
        Ty::Arr(s) => Val::Arr(walk_array(c, |c| walk_struct(c, s, version))?),
        Ty::ArrI32 => Val::Ints(walk_array(c, |c| {
            Ok(i64::from(i32::from_be_bytes(c.be()?)))
        })?),
        Ty::ArrI64 => Val::Ints(walk_array(c, |c| Ok(i64::from_be_bytes(c.be()?)))?),
        Ty::ArrStr => Val::Strs(walk_array(c, |c| {
            Ok(c.string(compact)?.unwrap_or_default())
        })?),
    })
}

/// Walks a whole request frame (without its size prefix) of `api`. Bytes after the end of the
/// request are left alone, as Kafka's own parser leaves them: librdkafka (2.x) sends an
/// all-topics Metadata v9+ with a 4-byte placeholder where a 1-byte compact null belongs, so
/// its requests end 3 bytes before their frames do.
pub fn walk(api: &Api, frame: &[u8]) -> Result<Request, WalkError> {
    let mut c = Cursor {
        buf: frame,
        pos: 0,
        flexible: false,
    };
    let api_key = i16::from_be_bytes(c.be()?);
    let version = i16::from_be_bytes(c.be()?);
    let correlation_id = i32::from_be_bytes(c.be()?);
    if api_key != api.key {
        return err(format!("api key {api_key} is not {}", api.key));
    }
    if version < api.min || version > api.max {
        return err(format!(
            "version {version} of api key {api_key} is not supported"
        ));
    }
    let flexible = api.is_flexible(version);
    // Request header v1/v2: the client id is a classic nullable string even in v2.
    c.string(false)?;
    if flexible {
        c.flexible = true;
        c.tagged_fields()?;
    }
    let body = walk_struct(&mut c, api.root, version)?;
    Ok(Request {
        api_key,
        version,
        correlation_id,
        flexible,
        body,
    })
}

/// The encoding of an array count in this message's flavour.
pub fn encode_count(count: usize, flexible: bool, out: &mut Vec<u8>) {
    if flexible {
        let mut n = count as u64 + 1;
        loop {
            let b = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(b);
                break;
            }
            out.push(b | 0x80);
        }
    } else {
        out.extend_from_slice(&(count as i32).to_be_bytes());
    }
}

/// `frame` with the array at `field` of the root struct keeping only the elements `keep` says.
pub fn without_elements(
    frame: &[u8],
    req: &Request,
    field: usize,
    keep: impl Fn(&Elem) -> bool,
) -> Vec<u8> {
    let span = req.body.spans[field].clone();
    let kept: Vec<&Elem> = req.body.arr(field).iter().filter(|e| keep(e)).collect();
    let mut out = Vec::with_capacity(frame.len());
    out.extend_from_slice(&frame[..span.start]);
    encode_count(kept.len(), req.flexible, &mut out);
    for e in kept {
        out.extend_from_slice(&frame[e.span.clone()]);
    }
    out.extend_from_slice(&frame[span.end..]);
    out
}

/// `frame` with the root array of strings at `field` holding only `kept`.
pub fn with_strings(frame: &[u8], req: &Request, field: usize, kept: &[&String]) -> Vec<u8> {
    let span = req.body.spans[field].clone();
    let mut out = frame[..span.start].to_vec();
    encode_count(kept.len(), req.flexible, &mut out);
    for k in kept {
        if req.flexible {
            encode_count(k.len(), true, &mut out);
        } else {
            out.extend_from_slice(&(k.len() as i16).to_be_bytes());
        }
        out.extend_from_slice(k.as_bytes());
    }
    out.extend_from_slice(&frame[span.end..]);
    out
}

#[cfg(test)]
#[path = "walk_tests.rs"]
mod tests;
