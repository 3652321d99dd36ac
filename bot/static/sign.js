// The signature pad of /sign/TOKEN: draw with a finger (or a pen, or a mouse), clear,
// submit. Pointer events cover touch, pen and mouse alike; the canvas has
// `touch-action: none` so that a stroke never scrolls the page, and its bitmap follows
// the device pixel ratio so that a phone's signature is sharp. On submit the drawing
// goes into a hidden field as a PNG data URL: the form posts as any form does.
'use strict';

(function () {
  const canvas = document.getElementById('signature-pad');
  const form = document.getElementById('sign-form');
  if (!canvas || !form || !canvas.getContext) {
    return;
  }
  const field = document.getElementById('signature-data');
  const submit = document.getElementById('sign-submit');
  const clear = document.getElementById('sign-clear');
  const status = document.getElementById('sign-status');
  const pen = canvas.getContext('2d');
  let width = 0;
  let active = null; // the pointer drawing now
  let last = null;
  let inked = 0; // segments drawn: a tap alone is no signature

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function update() {
    submit.disabled = inked < 2;
  }

  function setUp() {
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    const rect = canvas.getBoundingClientRect();
    width = rect.width;
    canvas.width = Math.round(rect.width * ratio);
    canvas.height = Math.round(rect.height * ratio);
    pen.setTransform(ratio, 0, 0, ratio, 0, 0);
    pen.lineWidth = 2.6;
    pen.lineCap = 'round';
    pen.lineJoin = 'round';
    pen.strokeStyle = '#111';
    pen.fillStyle = '#111';
    inked = 0;
    update();
  }

  function point(event) {
    const rect = canvas.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  function dot(p) {
    pen.beginPath();
    pen.arc(p.x, p.y, pen.lineWidth / 2, 0, Math.PI * 2);
    pen.fill();
  }

  function line(from, to) {
    pen.beginPath();
    pen.moveTo(from.x, from.y);
    pen.lineTo(to.x, to.y);
    pen.stroke();
    inked += 1;
  }

  canvas.addEventListener('pointerdown', function (event) {
    if (active !== null || (event.pointerType === 'mouse' && event.button !== 0)) {
      return;
    }
    event.preventDefault();
    active = event.pointerId;
    if (canvas.setPointerCapture) {
      canvas.setPointerCapture(event.pointerId);
    }
    last = point(event);
    dot(last);
  });

  canvas.addEventListener('pointermove', function (event) {
    if (event.pointerId !== active) {
      return;
    }
    event.preventDefault();
    // A phone reports moves faster than frames: draw every coalesced point.
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
    for (const each of events.length ? events : [event]) {
      const next = point(each);
      line(last, next);
      last = next;
    }
    update();
  });

  function stop(event) {
    if (event.pointerId !== active) {
      return;
    }
    active = null;
    last = null;
    update();
    if (inked >= 2) {
      say('');
    }
  }
  canvas.addEventListener('pointerup', stop);
  canvas.addEventListener('pointercancel', stop);

  clear.addEventListener('click', function () {
    pen.clearRect(0, 0, canvas.width, canvas.height);
    inked = 0;
    update();
    say('已清除，请重新签名。');
  });

  form.addEventListener('submit', function (event) {
    if (inked < 2) {
      event.preventDefault();
      say('请先在框内签名。');
      return;
    }
    field.value = canvas.toDataURL('image/png');
    submit.disabled = true;
    say('正在提交……');
  });

  // The address bar showing or hiding changes the height only: the drawing stays. A
  // turned phone changes the width: the pad is drawn anew at its new size.
  window.addEventListener('resize', function () {
    if (Math.abs(canvas.getBoundingClientRect().width - width) > 1) {
      const had = inked > 0;
      setUp();
      if (had) {
        say('屏幕方向已改变，请重新签名。');
      }
    }
  });

  setUp();
})();
