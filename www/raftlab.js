// <raft-cluster>: raftlab's custom element for tutorial sites (README: "A custom element").
import init, { mountElement, loadLanguage } from './raftlab-page.js';

const base = import.meta.url;
const ready = init({ module_or_path: new URL('raftlab-page_bg.wasm', base) });


let sheet = null;
function styles() {
  sheet ??= fetch(new URL('style.css', base))
    .then((r) => (r.ok ? r.text() : ''))
    .catch(() => '')
    .then((css) => {
      const s = new CSSStyleSheet();
      s.replaceSync(css);
      return s;
    });
  return sheet;
}

const PARAMS = ['scenario', 'run', 'seed', 'servers', 'election', 'heartbeat', 'latency', 'prevote',
  'checkquorum', 'check-quorum', 'controls', 'autoplay', 'speed', 'view', 'present', 'theme', 'lang', 'bug'];
const HOSTS = /^(class|id|style|title|hidden|slot|tabindex|role|dir|part|exportparts|inert|is|nonce|autofocus|translate|popover|accesskey|lang|(data|aria|on|item)(-.*|[a-z]*))$/;

function query(el) {
  const p = new URLSearchParams();
  for (const a of el.attributes) {
    const n = a.name;
    if (!HOSTS.test(n)) p.append(n, a.value);
  }
  // `lang` is also the element's own HTML attribute: it names the clusters' language.
  if (el.hasAttribute('lang')) p.append('lang', el.getAttribute('lang'));
  return p.toString();
}

function scenarioFallback(el) {
  const s = (el.getAttribute('scenario') || '').trim();
  return /^(tours|scenarios)\/[^\s]*\.raft$/.test(s) ? new URL(s, base).href : undefined;
}

export class RaftCluster extends HTMLElement {
  static observedAttributes = PARAMS;
  #handle = null;
  #root;
  #queued = false;

  constructor() {
    super();
    const shadow = this.attachShadow({ mode: 'open' });
    this.#root = document.createElement('div');
    this.#root.className = 'rc-root';
    shadow.append(this.#root);
    styles().then((s) => { shadow.adoptedStyleSheets = [s]; });
  }

  connectedCallback() { this.#schedule(); }

  disconnectedCallback() {
    queueMicrotask(() => { if (!this.isConnected) this.#destroy(); });
  }

  attributeChangedCallback(_name, old, value) {
    if (old !== value && this.#handle) this.#schedule();
  }

  #schedule() {
    if (this.#queued) return;
    this.#queued = true;
    ready.then(() => loadLanguage(this.getAttribute('lang') || undefined)).then(() => {
      this.#queued = false;
      if (!this.isConnected) return;
      this.#destroy();
      this.#root.replaceChildren();
      this.#handle = mountElement(this, this.#root, query(this), scenarioFallback(this));
      this.dispatchEvent(new CustomEvent('ready', { detail: {} }));
    });
  }

  #destroy() {
    if (this.#handle) { this.#handle.destroy(); this.#handle = null; }
  }

  get handle() { return this.#handle; }

}

for (const m of ['play', 'pause', 'finish', 'crash', 'restart', 'partition', 'heal', 'put', 'get', 'speed', 'view',
  'load', 'export', 'snapshot']) {
  RaftCluster.prototype[m] = function (...a) {
    if (!this.handle) throw new Error('raft-cluster: not drawn yet (wait for its "ready" event)');
    return this.handle[m](...a);
  };
}

if (!customElements.get('raft-cluster')) customElements.define('raft-cluster', RaftCluster);
