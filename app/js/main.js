import * as api from './api.js';
import { byId, clearMessages, notify, reportProblem, showView } from './dom.js';
import { forgetPipelines, showPipelines, wirePipelines } from './pipelines.js';

// CloudFront sends /login-hash/<hash> to index.html: the path carries the one-time token from the emailed link.
const LOGIN_PATH = /^\/login-hash\/([A-Za-z0-9_-]+)\/?$/;

function showSignedIn(user) {
  byId('who-email').textContent = user.email;
  byId('session').hidden = false;
}

function showSignedOut(message) {
  byId('session').hidden = true;
  byId('who-email').textContent = '';
  forgetPipelines();
  showView('sign-in');
  if (message) notify(message);
}

async function enter() {
  const user = await api.whoAmI();
  if (!user) {
    showSignedOut();
    return;
  }
  showSignedIn(user);
  await showPipelines();
}

async function followLoginLink(hash) {
  showView('signing-in');
  // The token works once: drop it from the address bar and history before using it.
  window.history.replaceState(null, '', '/');
  try {
    await api.login(hash);
  } catch (error) {
    showSignedOut();
    reportProblem(`That sign-in link did not work (${error.message}) Links work once, for about an hour: request a new one.`);
    return;
  }
  await enter();
}

async function requestLink(event) {
  event.preventDefault();
  clearMessages();
  const form = event.target;
  const invalid = [...form.elements].find((field) => field.willValidate && !field.checkValidity());
  if (invalid) {
    invalid.focus();
    reportProblem(invalid.type === 'checkbox'
      ? 'Please accept all three consents to sign in.'
      : `${form.querySelector(`label[for="${invalid.id}"]`).textContent}: ${invalid.validationMessage}`);
    return;
  }
  const body = {
    email: form.elements.email.value.trim(),
    firstName: form.elements.firstName.value.trim(),
    acceptedTermsAndConditions: form.elements.acceptedTermsAndConditions.checked,
    acceptedGdprTerms: form.elements.acceptedGdprTerms.checked,
    acceptedCookiePolicy: form.elements.acceptedCookiePolicy.checked,
  };
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  try {
    await api.requestMagicLink(body);
    byId('link-sent-email').textContent = body.email;
    showView('link-sent');
  } catch (error) {
    reportProblem(error.message);
  } finally {
    button.disabled = false;
  }
}

async function signOut(everywhere) {
  try {
    await (everywhere ? api.logoutEverywhere() : api.logout());
  } catch (error) {
    reportProblem(error.message);
    return;
  }
  showSignedOut(everywhere ? 'You are signed out on every device.' : 'You are signed out.');
}

function wire() {
  byId('sign-in-form').addEventListener('submit', requestLink);
  byId('sign-out').addEventListener('click', () => signOut(false));
  byId('sign-out-everywhere').addEventListener('click', () => signOut(true));
  for (const button of document.querySelectorAll('[data-show]'))
    button.addEventListener('click', () => showView(button.dataset.show));
  wirePipelines({ onSignedOut: showSignedOut });
}

async function start() {
  wire();
  const match = LOGIN_PATH.exec(window.location.pathname);
  try {
    if (match) await followLoginLink(match[1]);
    else await enter();
  } catch (error) {
    showSignedOut();
    reportProblem(error.message);
  }
}

if ('serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch((error) => console.warn('Service worker not registered:', error));
  });
}

start();
