//! Long-running jobs by id: bulk sends, live tails, waits for a new key. The window starts one
//! under an id it chose and may cancel it by that id while it runs; a job that finishes leaves the
//! registry. Tauri-free and std-only: the app holds one [`Jobs`] per kind of job.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// What cancelling a running job does to it.
pub trait Cancel {
    fn cancel(&self);
}

/// The cancel flag a job polls (bulk sends, key waits).
#[derive(Debug, Clone, Default)]
pub struct CancelFlag(Arc<AtomicBool>);

impl CancelFlag {
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
    /// The flag as the job's code reads it.
    pub fn flag(&self) -> &AtomicBool {
        &self.0
    }
}

impl Cancel for CancelFlag {
    fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Running jobs of one kind, by id. `H` is what the registry keeps of a job: a [`CancelFlag`],
/// or the job's own handle (a tail).
pub struct Jobs<H> {
    running: Mutex<HashMap<String, H>>,
}

impl<H> Default for Jobs<H> {
    fn default() -> Self {
        Jobs {
            running: Mutex::new(HashMap::new()),
        }
    }
}

impl<H> Jobs<H> {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, H>> {
        // A panic elsewhere while holding the lock leaves the map itself intact.
        self.running.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers a job under `id`. One job per id: the one it replaces is returned, for the caller
    /// to stop.
    pub fn start(&self, id: &str, handle: H) -> Option<H> {
        self.lock().insert(id.to_string(), handle)
    }

    /// Takes the job out of the registry (it finished, or the caller stops it itself).
    pub fn finish(&self, id: &str) -> Option<H> {
        self.lock().remove(id)
    }

    /// Runs `f` on the job, if `id` is running.
    pub fn with<R>(&self, id: &str, f: impl FnOnce(&H) -> R) -> Option<R> {
        self.lock().get(id).map(f)
    }

    pub fn is_running(&self, id: &str) -> bool {
        self.lock().contains_key(id)
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// Takes every job out (at exit).
    pub fn drain(&self) -> Vec<H> {
        self.lock().drain().map(|(_, h)| h).collect()
    }
}

impl<H: Cancel> Jobs<H> {
    /// Asks the job to stop; it stays registered until it finishes. False: no such job (it
    /// finished already, or never ran).
    pub fn cancel(&self, id: &str) -> bool {
        self.with(id, Cancel::cancel).is_some()
    }

    /// Asks every job to stop (at exit).
    pub fn cancel_all(&self) {
        for h in self.lock().values() {
            h.cancel();
        }
    }
}

/// Removes a job when its work ends, returned or panicked, unless another job took its id.
struct Registered<'a> {
    jobs: &'a Jobs<CancelFlag>,
    id: &'a str,
    flag: CancelFlag,
}

impl Drop for Registered<'_> {
    fn drop(&mut self) {
        let mut running = self.jobs.lock();
        if running
            .get(self.id)
            .is_some_and(|h| Arc::ptr_eq(&h.0, &self.flag.0))
        {
            running.remove(self.id);
        }
    }
}

impl Jobs<CancelFlag> {
    fn register<'a>(&'a self, id: &'a str) -> Registered<'a> {
        let flag = CancelFlag::default();
        if let Some(old) = self.start(id, flag.clone()) {
            old.cancel();
        }
        Registered {
            jobs: self,
            id,
            flag,
        }
    }

    /// Runs blocking `work` as job `id` with its cancel flag; it leaves the registry when `work`
    /// returns. A job already running under `id` is cancelled.
    pub fn run<T>(&self, id: &str, work: impl FnOnce(&AtomicBool) -> T) -> T {
        let job = self.register(id);
        work(job.flag.flag())
    }

    /// [`Jobs::run`] for async work.
    pub async fn run_async<T, F>(&self, id: &str, work: impl FnOnce(CancelFlag) -> F) -> T
    where
        F: Future<Output = T>,
    {
        let job = self.register(id);
        work(job.flag.clone()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn a_started_job_runs_until_cancelled_and_finishing_removes_it() {
        let jobs = Arc::new(Jobs::<CancelFlag>::default());
        let (started, is_started) = mpsc::channel();
        let worker = {
            let jobs = jobs.clone();
            std::thread::spawn(move || {
                jobs.run("bulk-1", |cancel| {
                    started.send(()).unwrap();
                    let mut spins = 0u32;
                    while !cancel.load(Ordering::SeqCst) {
                        std::thread::sleep(Duration::from_millis(1));
                        spins += 1;
                    }
                    spins
                })
            })
        };
        is_started.recv().unwrap();
        assert!(jobs.is_running("bulk-1"));
        assert!(jobs.cancel("bulk-1"));
        worker.join().unwrap();
        // Finished: gone, and cancelling it now finds nothing.
        assert!(!jobs.is_running("bulk-1"));
        assert!(jobs.is_empty());
        assert!(!jobs.cancel("bulk-1"));
    }

    #[test]
    fn cancelling_an_unknown_id_does_nothing() {
        let jobs = Jobs::<CancelFlag>::default();
        assert!(!jobs.cancel("never-ran"));
        let kept = CancelFlag::default();
        jobs.start("other", kept.clone());
        assert!(!jobs.cancel("never-ran"));
        assert!(!kept.is_cancelled());
    }

    #[test]
    fn a_job_that_panics_still_leaves() {
        let jobs = Jobs::<CancelFlag>::default();
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            jobs.run("p", |_| panic!("boom"))
        }));
        assert!(r.is_err());
        assert!(!jobs.is_running("p"));
    }

    #[test]
    fn async_jobs_are_cancelled_by_id() {
        let jobs = Jobs::<CancelFlag>::default();
        // A future polled by hand: it registers, is cancelled from outside, then finishes.
        let seen = block_on(jobs.run_async("key-1", |flag| {
            let jobs = &jobs;
            async move {
                assert!(jobs.is_running("key-1"));
                assert!(jobs.cancel("key-1"));
                flag.is_cancelled()
            }
        }));
        assert!(seen);
        assert!(!jobs.is_running("key-1"));
    }

    #[test]
    fn one_job_per_id_the_replaced_one_is_handed_back() {
        struct Tail(&'static str);
        let tails = Jobs::<Tail>::default();
        assert!(tails.start("t", Tail("first")).is_none());
        let old = tails.start("t", Tail("second")).unwrap();
        assert_eq!(old.0, "first");
        assert_eq!(tails.with("t", |t| t.0), Some("second"));
        assert_eq!(tails.finish("t").unwrap().0, "second");
        assert!(tails.finish("t").is_none());
        tails.start("a", Tail("a"));
        tails.start("b", Tail("b"));
        assert_eq!(tails.drain().len(), 2);
        assert!(tails.is_empty());
    }

    #[test]
    fn a_restarted_id_cancels_the_old_run_and_keeps_the_new_one() {
        let jobs = Jobs::<CancelFlag>::default();
        let old = jobs.run("j", |old_flag| {
            // The window starts the same id again while the first still runs.
            let new_seen = jobs.run("j", |_| jobs.is_running("j"));
            assert!(new_seen);
            old_flag.load(Ordering::SeqCst)
        });
        assert!(old, "the first run was cancelled");
        assert!(!jobs.is_running("j"));
        jobs.cancel_all();
    }

    fn block_on<F: Future>(f: F) -> F::Output {
        use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};
        fn raw() -> RawWaker {
            fn clone(_: *const ()) -> RawWaker {
                raw()
            }
            fn noop(_: *const ()) {}
            static VT: RawWakerVTable = RawWakerVTable::new(clone, noop, noop, noop);
            RawWaker::new(std::ptr::null(), &VT)
        }
        let waker = unsafe { Waker::from_raw(raw()) };
        let mut cx = Context::from_waker(&waker);
        let mut f = std::pin::pin!(f);
        loop {
            if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
        }
    }
}
