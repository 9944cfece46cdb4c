// Text is always set through textContent so nothing the API returns is ever parsed as HTML.
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'text') element.textContent = value;
    else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value);
  }
  element.append(...children);
  return element;
}

export const byId = (id) => document.getElementById(id);

const views = () => document.querySelectorAll('main > .view');

// Moving focus to the new view's heading tells screen-reader users that the page changed.
export function showView(name) {
  for (const view of views()) view.hidden = view.id !== `view-${name}`;
  const heading = byId(`view-${name}`).querySelector('h1');
  heading.focus();
}

export function notify(message) {
  byId('problem').textContent = '';
  byId('notice').textContent = message;
}

export function reportProblem(message) {
  byId('notice').textContent = '';
  byId('problem').textContent = message;
}

export function clearMessages() {
  byId('notice').textContent = '';
  byId('problem').textContent = '';
}
