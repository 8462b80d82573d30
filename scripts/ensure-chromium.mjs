// Browser tests drive Debian's Chromium, and the Node GPU tests run Dawn on Vulkan with Chromium's
// SwiftShader as the driver. Installs both when missing (CI runs as root on Debian).
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
const VULKAN = ['/usr/lib/x86_64-linux-gnu/libvulkan.so.1', '/usr/lib/aarch64-linux-gnu/libvulkan.so.1'];
const INSTALL = 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libvulkan1';

function fail(why) {
  console.error(`${CHROMIUM} is missing and cannot be installed here: ${why}.`);
  console.error(`Install it yourself (as root: "${INSTALL}"), then run the tests again.`);
  process.exit(1);
}

if (!existsSync(CHROMIUM) || !VULKAN.some((p) => existsSync(p))) {
  if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get')) fail('this is not a Debian-like system with apt-get');
  if (process.getuid?.() !== 0) fail('installing needs root and this runs as another user');
  console.log('Installing Debian chromium and the Vulkan loader for the browser and GPU tests…');
  try {
    execSync(INSTALL, { stdio: 'inherit' });
  } catch (err) {
    fail(`apt-get failed (${err.message.split('\n')[0]})`);
  }
  if (!existsSync(CHROMIUM)) fail(`apt-get finished but ${CHROMIUM} is still absent`);
}
