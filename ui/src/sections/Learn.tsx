// Learn: "why and how Kafka as a SaaS", from the book chapter 클라우드 카프카 서비스. A list of
// lessons (title in both languages, progress), and the lesson on show: a few sentences, an
// exercise on the sandbox cloud, and what the same takes by hand when self-running.
import "./learn/learn.css";

import { useRef } from "preact/hooks";

import { lang, t } from "../i18n";
import { Lesson1 } from "./learn/Lesson1";
import { Lesson2 } from "./learn/Lesson2";
import { Lesson3 } from "./learn/Lesson3";
import { Lesson4 } from "./learn/Lesson4";
import { Lesson5 } from "./learn/Lesson5";
import { Lesson6 } from "./learn/Lesson6";
import { Lesson7 } from "./learn/Lesson7";
import { LESSONS, type LessonId, countDone, currentLesson, openLesson, summaryKey, titleKey } from "./learn/progress";
import * as strings from "./learn/strings";

const PAGES: Record<LessonId, () => preact.JSX.Element> = { l1: Lesson1, l2: Lesson2, l3: Lesson3, l4: Lesson4, l5: Lesson5, l6: Lesson6, l7: Lesson7 };

export function Learn() {
  const current = currentLesson.value;
  const Page = PAGES[current];
  const index = LESSONS.findIndex((l) => l.id === current);
  const list = useRef<HTMLOListElement>(null);
  const other = lang.value === "ko" ? strings.en : strings.ko;

  function onKey(e: KeyboardEvent) {
    const delta = e.key === "ArrowDown" ? 1 : e.key === "ArrowUp" ? -1 : e.key === "Home" ? -LESSONS.length : e.key === "End" ? LESSONS.length : 0;
    if (!delta) return;
    e.preventDefault();
    const to = Math.max(0, Math.min(LESSONS.length - 1, index + delta));
    openLesson(LESSONS[to]!.id);
    requestAnimationFrame(() => list.current?.querySelectorAll<HTMLButtonElement>("button.lesson-item")[to]?.focus());
  }

  return (
    <div class="learn" data-testid="learn">
      <nav class="learn-nav card" aria-labelledby="h-lessons">
        <h2 id="h-lessons">{t("learn.lessons")}</h2>
        <p class="muted small">{t("learn.intro")}</p>
        <ol ref={list} class="lesson-list" onKeyDown={onKey}>
          {LESSONS.map((l, i) => {
            const { done, total } = countDone(l.id);
            const active = l.id === current;
            const key = titleKey(l.id) as keyof typeof strings.en;
            return (
              <li key={l.id}>
                <button
                  type="button"
                  class="lesson-item"
                  data-testid={`lesson-item-${i + 1}`}
                  aria-current={active ? "page" : undefined}
                  tabIndex={active ? 0 : -1}
                  title={t(summaryKey(l.id))}
                  onClick={() => openLesson(l.id)}
                >
                  <span class="lesson-num" aria-hidden="true">
                    {i + 1}
                  </span>
                  <span class="lesson-titles">
                    <span class="lesson-title">{t(titleKey(l.id))}</span>
                    <span class="lesson-other muted small" lang={lang.value === "ko" ? "en" : "ko"}>
                      {other[key]}
                    </span>
                  </span>
                  <span class={done === total ? "lesson-progress complete" : "lesson-progress"} data-testid={`lesson-progress-${i + 1}`} data-done={done} data-total={total}>
                    {done === total ? "✓ " : ""}
                    {t("learn.progress", { done: String(done), total: String(total) })}
                  </span>
                </button>
              </li>
            );
          })}
        </ol>
        <p class="muted small">{t("learn.keys")}</p>
      </nav>
      <div class="learn-page">
        <Page key={current} />
        <div class="learn-pager">
          {index > 0 ? (
            <button type="button" class="ghost" data-testid="lesson-prev" onClick={() => openLesson(LESSONS[index - 1]!.id)}>
              {t("learn.prev")}
            </button>
          ) : (
            <span />
          )}
          {index < LESSONS.length - 1 ? (
            <button type="button" class="ghost" data-testid="lesson-next" onClick={() => openLesson(LESSONS[index + 1]!.id)}>
              {t("learn.next")}
            </button>
          ) : null}
        </div>
      </div>
    </div>
  );
}
