/// <reference lib="dom" />
import './pages.css';
import { render } from 'preact';
import { useState } from 'preact/hooks';
import { SignIn, type Me } from './signIn.ts';
import { Frame, html } from './ui.ts';
import { HealthScreen } from './admin/health.ts';
import { QueueScreen } from './admin/queue.ts';
import { DecisionsScreen } from './admin/decisions.ts';
import { RulebookScreen } from './admin/rulebook.ts';
import { ModelsScreen } from './admin/models.ts';
import { InsightsScreen } from './admin/insights.ts';
import { AccessScreen } from './admin/access.ts';

const TITLE = 'Village console';

/** /admin: the operators' and moderators' console. */
function Console() {
  const [me, setMe] = useState<Me>();
  if (!me) return html`<${SignIn} title=${TITLE} intro="For the relay's admins and the village's moderators." onSignedIn=${setMe} />`;
  if (!me.roles.includes('moderator')) {
    return html`<main id="main" class="signin"><h1>${TITLE}</h1>
      <p class="error" role="alert">This key is neither a moderator nor an admin of this relay, so the console is closed to it.</p>
      <p><a href="me">Your member page</a> has your feed settings, cases, jury duty and consent.</p></main>`;
  }
  const admin = me.roles.includes('admin');
  // With moderation.enabled = false there are no cases: the console opens on health.
  const cases = me.moderation
    ? [
        { id: 'queue', label: 'Case queue', view: () => html`<${QueueScreen} statuses="open" empty="No open case: nothing waits for a moderator." />` },
        { id: 'appeals', label: 'Appeals and juries', view: () => html`<${QueueScreen} statuses="appealed" empty="No appeal in progress." />` },
      ]
    : [];
  return html`<${Frame} title=${TITLE} who=${me.pubkey} tabs=${[
    ...cases,
    { id: 'decisions', label: 'Decision log', view: () => html`<${DecisionsScreen} />` },
    { id: 'rulebook', label: 'Rulebook', view: () => html`<${RulebookScreen} admin=${admin} />` },
    { id: 'health', label: 'Health', view: () => html`<${HealthScreen} />` },
    ...(admin ? [{ id: 'access', label: 'Bans', view: () => html`<${AccessScreen} />` }] : []),
    { id: 'models', label: 'Model cards', view: () => html`<${ModelsScreen} />` },
    { id: 'insights', label: 'Insights', view: () => html`<${InsightsScreen} />` },
  ]} />`;
}

render(html`<${Console} />`, document.getElementById('app')!);
