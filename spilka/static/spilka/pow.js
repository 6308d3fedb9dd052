// Proof-of-work for Spilka forms, speaking the ALTCHA protocol (v1, SHA-256).
// Self-hosted: no request leaves the site. The form's submit button waits for the proof.
(function () {
  "use strict";
  var K = [0x428a2f98,0x71374491,0xb5c0fbcf,0xe9b5dba5,0x3956c25b,0x59f111f1,0x923f82a4,0xab1c5ed5,
    0xd807aa98,0x12835b01,0x243185be,0x550c7dc3,0x72be5d74,0x80deb1fe,0x9bdc06a7,0xc19bf174,
    0xe49b69c1,0xefbe4786,0x0fc19dc6,0x240ca1cc,0x2de92c6f,0x4a7484aa,0x5cb0a9dc,0x76f988da,
    0x983e5152,0xa831c66d,0xb00327c8,0xbf597fc7,0xc6e00bf3,0xd5a79147,0x06ca6351,0x14292967,
    0x27b70a85,0x2e1b2138,0x4d2c6dfc,0x53380d13,0x650a7354,0x766a0abb,0x81c2c92e,0x92722c85,
    0xa2bfe8a1,0xa81a664b,0xc24b8b70,0xc76c51a3,0xd192e819,0xd6990624,0xf40e3585,0x106aa070,
    0x19a4c116,0x1e376c08,0x2748774c,0x34b0bcb5,0x391c0cb3,0x4ed8aa4a,0x5b9cca4f,0x682e6ff3,
    0x748f82ee,0x78a5636f,0x84c87814,0x8cc70208,0x90befffa,0xa4506ceb,0xbef9a3f7,0xc67178f2];
  function sha256hex(ascii) {
    var bytes = [], i;
    for (i = 0; i < ascii.length; i++) bytes.push(ascii.charCodeAt(i) & 0xff);
    var bitLen = bytes.length * 8;
    bytes.push(0x80);
    while (bytes.length % 64 !== 56) bytes.push(0);
    for (i = 7; i >= 0; i--) bytes.push(i >= 4 ? 0 : (bitLen >>> (i * 8)) & 0xff);
    var H = [0x6a09e667,0xbb67ae85,0x3c6ef372,0xa54ff53a,0x510e527f,0x9b05688c,0x1f83d9ab,0x5be0cd19];
    var W = new Array(64);
    for (var off = 0; off < bytes.length; off += 64) {
      for (i = 0; i < 16; i++) W[i] = (bytes[off+4*i]<<24)|(bytes[off+4*i+1]<<16)|(bytes[off+4*i+2]<<8)|bytes[off+4*i+3];
      for (i = 16; i < 64; i++) {
        var a = W[i-15], b = W[i-2];
        var s0 = ((a>>>7)|(a<<25)) ^ ((a>>>18)|(a<<14)) ^ (a>>>3);
        var s1 = ((b>>>17)|(b<<15)) ^ ((b>>>19)|(b<<13)) ^ (b>>>10);
        W[i] = (W[i-16] + s0 + W[i-7] + s1) | 0;
      }
      var h0=H[0],h1=H[1],h2=H[2],h3=H[3],h4=H[4],h5=H[5],h6=H[6],h7=H[7];
      for (i = 0; i < 64; i++) {
        var S1 = ((h4>>>6)|(h4<<26)) ^ ((h4>>>11)|(h4<<21)) ^ ((h4>>>25)|(h4<<7));
        var ch = (h4 & h5) ^ (~h4 & h6);
        var t1 = (h7 + S1 + ch + K[i] + W[i]) | 0;
        var S0 = ((h0>>>2)|(h0<<30)) ^ ((h0>>>13)|(h0<<19)) ^ ((h0>>>22)|(h0<<10));
        var maj = (h0 & h1) ^ (h0 & h2) ^ (h1 & h2);
        var t2 = (S0 + maj) | 0;
        h7=h6; h6=h5; h5=h4; h4=(h3+t1)|0; h3=h2; h2=h1; h1=h0; h0=(t1+t2)|0;
      }
      H[0]=(H[0]+h0)|0;H[1]=(H[1]+h1)|0;H[2]=(H[2]+h2)|0;H[3]=(H[3]+h3)|0;
      H[4]=(H[4]+h4)|0;H[5]=(H[5]+h5)|0;H[6]=(H[6]+h6)|0;H[7]=(H[7]+h7)|0;
    }
    var out = "";
    for (i = 0; i < 8; i++) out += ("00000000" + (H[i] >>> 0).toString(16)).slice(-8);
    return out;
  }

  function solve(form) {
    var challenge = JSON.parse(form.getAttribute("data-pow-challenge"));
    var input = form.querySelector("input[name=altcha]");
    var button = form.querySelector("button[type=submit]");
    var status = form.querySelector("[data-pow-status]");
    if (button) button.disabled = true;
    var n = 0;
    function step() {
      var end = Math.min(n + 2000, challenge.maxnumber + 1);
      for (; n < end; n++) {
        if (sha256hex(challenge.salt + n) === challenge.challenge) {
          input.value = btoa(JSON.stringify({
            algorithm: challenge.algorithm, challenge: challenge.challenge,
            number: n, salt: challenge.salt, signature: challenge.signature
          }));
          if (button) button.disabled = false;
          if (status) status.textContent = status.getAttribute("data-done");
          return;
        }
      }
      if (n > challenge.maxnumber) {
        if (status) status.textContent = status.getAttribute("data-failed");
        return;
      }
      setTimeout(step, 0);
    }
    step();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-pow-challenge]").forEach(solve);
  });
  window.spilkaSha256 = sha256hex;
})();
