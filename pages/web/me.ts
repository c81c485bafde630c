/// <reference lib="dom" />
import './pages.css';
import { render } from 'preact';
import { useState } from 'preact/hooks';
import { SignIn, type Me } from './signIn.ts';
import { Frame, html } from './ui.ts';
import { FeedSettingsScreen } from './me/feedSettings.ts';
import { MyCasesScreen } from './me/cases.ts';
import { JuryScreen } from './me/jury.ts';
import { ConsentScreen } from './me/consent.ts';
import { WhyScreen } from './me/why.ts';

const TITLE = 'My village';

/** /me: a member's own page. */
function MemberPage() {
  const [me, setMe] = useState<Me>();
  if (!me) return html`<${SignIn} title=${TITLE} intro="Your feed settings, your cases and appeals, jury duty, and your consent for the village's datasets." onSignedIn=${setMe} />`;
  return html`<${Frame} title=${TITLE} who=${me.pubkey} tabs=${[
    { id: 'feed', label: 'Feed settings', view: () => html`<${FeedSettingsScreen} pubkey=${me.pubkey} />` },
    { id: 'why', label: 'Why was this shown to me', view: () => html`<${WhyScreen} />` },
    ...(me.moderation
      ? [
          { id: 'cases', label: 'My cases and appeals', view: () => html`<${MyCasesScreen} />` },
          { id: 'jury', label: 'Jury duty', view: () => html`<${JuryScreen} />` },
        ]
      : []),
    { id: 'consent', label: 'My consent', view: () => html`<${ConsentScreen} pubkey=${me.pubkey} />` },
  ]} />`;
}

render(html`<${MemberPage} />`, document.getElementById('app')!);
