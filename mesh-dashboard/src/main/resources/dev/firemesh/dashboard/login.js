// The login page: trade an operator token (or the browser's client certificate) for a session
// cookie, then go to the page the user wanted.
const form = document.getElementById('login-form');
const error = document.getElementById('error');

function next() {
  // The page asked for: a script sends ?next=<route>; the server's redirect keeps the #route.
  const wanted = new URLSearchParams(location.search).get('next') || location.hash || '';
  // Only a route inside the dashboard: never an address someone else put in the link.
  return /^#\/[\w\-./?=&%]*$/.test(wanted) ? '/ui/' + wanted : '/ui/';
}

async function login(body) {
  error.textContent = '';
  let response;
  try {
    response = await fetch('/v1/sessions', {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (e) {
    error.textContent = 'The control plane did not answer: ' + e.message;
    return;
  }
  if (response.ok) {
    location.assign(next());
    return;
  }
  let message = 'Log in refused (' + response.status + ')';
  try {
    message = (await response.json()).message || message;
  } catch (e) {
    // not JSON: keep the status line
  }
  error.textContent = message;
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const token = document.getElementById('token').value.trim();
  login({token});
});

document.getElementById('certificate').addEventListener('click', () => login({}));
