// The knowledge desk (/knowledge): a lead's page to turn unanswered questions into knowledge,
// try it, check it against the evaluation sets, publish and roll back. Preact + htm from
// node_modules; sign-in, session calls, words and the top bar's parts are the staff pages' shared
// ones (/ui/*.js), as in the agent console.
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { html, kb, t, UI } from './deskParts.js';
import { UnansweredTab } from './deskUnanswered.js';
import { EntriesTab } from './deskEntries.js';
import { TryTab } from './deskTry.js';
import { PublishTab } from './deskPublish.js';
import { HistoryTab } from './deskHistory.js';
import { InsightsTab } from './deskInsights.js';

const TABS = ['unanswered', 'entries', 'try', 'publish', 'history', 'insights'];
const VIEWS = { unanswered: UnansweredTab, entries: EntriesTab, try: TryTab, publish: PublishTab, history: HistoryTab, insights: InsightsTab };
const RETRY_MS = 5000;

function TopBar({ me, summary }) {
  return html`<header class="topbar">
    <h1 class="brand" id="desk-title" tabindex="-1">${t().deskTitle}</h1>
    ${summary ? html`<span class="muted draft-state">${t().draftState(summary.published, summary.drafted)}</span>` : null}
    <span class="spacer"></span>
    <span class="connection" role="status"></span>
    ${me ? html`<span id="agent-name">${me.name}</span>` : null}
    <a class="link" href="/agent">${t().backToConsole}</a>
    <button type="button" class="link lang-toggle" lang=${UI.i18n.lang() === 'zh-CN' ? 'en' : 'zh-CN'}>${t().lang}</button>
    ${me ? html`<button type="button" class="link" id="sign-out" onClick=${() => UI.session.signOut()}>${t().signOut}</button>` : null}
  </header>`;
}

/** The six sections as ARIA tabs: arrows, Home and End move between them (roving focus). */
function Tabs({ tab, choose }) {
  const list = useRef(null);
  const onKey = (event) => {
    const at = TABS.indexOf(tab);
    const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: TABS.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const name = TABS[(next + TABS.length) % TABS.length];
    choose(name);
    list.current.querySelector(`[data-tab="${name}"]`).focus();
  };
  return html`<div class="tabs" role="tablist" aria-label=${t().tabs} ref=${list} onKeyDown=${onKey}>
    ${TABS.map(
      (name) => html`<button type="button" role="tab" id=${`tab-${name}`} data-tab=${name} aria-selected=${String(name === tab)} aria-controls="panel" tabindex=${name === tab ? 0 : -1} onClick=${() => choose(name)}>
        ${t().tab[name]}
      </button>`,
    )}
  </div>`;
}

function Desk() {
  const [phase, setPhase] = useState('loading');
  const [me, setMe] = useState(null);
  const [, setLang] = useState(UI.i18n.lang());
  const [tab, setTab] = useState(TABS.includes(window.location.hash.slice(1)) ? window.location.hash.slice(1) : 'unanswered');
  const [locale, setLocale] = useState('zh-CN');
  const [summary, setSummary] = useState(null);
  // Bumped after a publish, a rollback or a saved entry: tabs reload what they show.
  const [generation, setGeneration] = useState(0);
  // The newest version this instance started serving while the page was open (any lead, any instance).
  const [live, setLive] = useState(null);

  const refreshSummary = async () => {
    const result = await kb('GET', `/entries?locale=${locale}`);
    if (result.status === 200) setSummary({ published: result.body.published, drafted: result.body.drafted });
    return result;
  };

  const start = async () => {
    const current = await UI.session.current();
    if (current === undefined) return void window.setTimeout(start, RETRY_MS);
    if (current === null) return setPhase('signed-out');
    setMe(current.agent);
    const probe = await refreshSummary();
    // The API decides who is a lead (403 for an agent), the page only says so.
    setPhase(probe.status === 403 ? 'refused' : 'ready');
  };

  useEffect(() => {
    UI.signIn.mount('deskTitle', () => start());
    UI.session.onSignedOut(() => setPhase('signed-out'));
    const onLang = () => {
      setLang(UI.i18n.lang());
      document.title = t().deskTitle;
    };
    document.addEventListener('kefu:lang', onLang);
    onLang();
    void start();
  }, []);

  useEffect(() => {
    if (phase === 'signed-out') UI.signIn.show();
    else UI.signIn.hide();
    if (phase === 'ready' || phase === 'refused') document.getElementById('desk-title').focus();
  }, [phase]);

  useEffect(() => {
    if (phase === 'ready') void refreshSummary();
  }, [generation, locale]);

  useEffect(() => {
    if (phase !== 'ready') return undefined;
    const reload = () => setGeneration((n) => n + 1);
    const events = UI.live('/api/knowledge/events', { version: (version) => (setLive(version), reload()) }, reload);
    return () => events.close();
  }, [phase]);

  const choose = (name) => {
    setTab(name);
    window.history.replaceState(null, '', `#${name}`);
  };

  if (phase === 'signed-out' || phase === 'loading') return null;
  if (phase === 'refused') {
    return html`<div class="desk"><${TopBar} me=${me} /><main class="refused"><p role="alert">${t().leadOnly}</p></main></div>`;
  }
  const View = VIEWS[tab];
  return html`<div class="desk">
    <${TopBar} me=${me} summary=${summary} />
    <nav class="desk-nav">
      <${Tabs} tab=${tab} choose=${choose} />
      <label class="kb-locale"><span>${t().kbLocale}</span>
        <select value=${locale} onChange=${(event) => setLocale(event.currentTarget.value)}>
          ${['zh-CN', 'en-US'].map((code) => html`<option value=${code}>${t().locales[code]}</option>`)}
        </select>
      </label>
    </nav>
    ${live ? html`<p class="live-version" role="status" data-live-version=${live.number}>${t().versionLive(live)}</p>` : null}
    <main id="panel" class="panel" role="tabpanel" aria-labelledby=${`tab-${tab}`} tabindex="-1">
      <${View} locale=${locale} generation=${generation} changed=${() => setGeneration((n) => n + 1)} choose=${choose} />
    </main>
  </div>`;
}

render(html`<${Desk} />`, document.getElementById('desk'));
