import * as fs from 'fs';
import * as path from 'path';

/**
 * The checklist of the holes an attacker found (issue "Least privilege that survives an attacker"), each mapped to
 * the tests that prove it closed. This test fails when a listed test is renamed or removed, so the list cannot go
 * stale. Test names built from templates are listed by their fixed part.
 */
const CHECKLIST: Record<string, Array<[file: string, name: string]>> = {
  '1. tag-based access widened by a case variant of the tag key': [
    ['adversarial/attacks.test.ts', 'with tagging rights tags an instance ${upper}=… to widen its access'],
    ['adversarial/attacks.test.ts', 'with tagging rights hides ${upper} among harmless keys'],
    ['adversarial/attacks.test.ts', 'with tagging rights puts ${upper} on an Auto Scaling group (propagated at launch)'],
    ['adversarial/attacks.test.ts', 'with tagging rights deletes every tag at once (DeleteTags without a key list)'],
    ['adversarial/attacks.test.ts', 'with tagging rights still tags an instance Name=…'],
    ['iam/scenario.ts', 'tagging with the access key in capitals'],
  ],
  '2. the control-plane role reaches every endpoint in the account': [
    ['adversarial/attacks.test.ts', 'the control plane modifies the neighbouring VPC\\\'s endpoint'],
    ['adversarial/attacks.test.ts', 'the control plane deletes the neighbouring VPC\\\'s endpoint'],
    ['adversarial/attacks.test.ts', 'the control plane creates an endpoint in the neighbouring VPC\\\'s subnet'],
    ['adversarial/attacks.test.ts', 'the control plane modifies its own endpoint'],
  ],
  '3. one targets group carries every port to every target': [
    ['adversarial/network.test.ts', 'an SSH-only target does not admit RDP from the endpoint'],
    ['adversarial/network.test.ts', 'an RDP-only target does not admit SSH from the endpoint'],
    ['adversarial/network.test.ts', 'the rules stay one each way per port however many targets join'],
  ],
  '4. grants by tag or by ID tunnel to any target on their ports': [
    ['adversarial/attacks.test.ts', 'WebTeam tunnels to an instance in a subnet with no target (isolated)'],
    ['adversarial/attacks.test.ts', 'a grant narrowed by targetSubnets tunnels into another subnet'],
    ['adversarial/network.test.ts', 'what a tag grant\\\'s tunnel still reaches in IAM (WebTeam to the Windows host on 22) the network refuses'],
    ['adversarial/attacks.test.ts', 'a grant by tag warns that its tunnels reach every target of its ports in those subnets'],
  ],
  '5. IAM Identity Center roles cannot be modified': [
    ['adversarial/synth-time.test.ts', 'a grant to the Identity Center role %s is refused at synth'],
    ['adversarial/synth-time.test.ts', 'a grant to an imported role whose ARN is a token warns that it cannot be checked'],
  ],
  '6. two fleet grants overwrite one tag': [
    ['adversarial/fleet-grants.test.ts', 'both holders keep their key pushes (the second grant did not overwrite the first)'],
    ['adversarial/fleet-grants.test.ts', 'a holder cannot push keys through the other grant\\\'s tag alone'],
  ],
  '7. the whole internet in pieces': [
    ['adversarial/synth-time.test.ts', 'network ingress from %j is refused like 0.0.0.0/0'],
    ['adversarial/synth-time.test.ts', 'sourceIpRanges that add up to the internet warn as 0.0.0.0/0 does'],
    ['nag/corpus/eic9-split-inline-ingress.json', 'FN:'],
  ],
  '8. the serial console is data plane everywhere': [
    ['adversarial/attacks.test.ts', 'the control plane, later given PowerUserAccess, pushes a serial-console key'],
    ['adversarial/attacks.test.ts', 'an operator pushes a serial-console key to its own instance'],
    ['audit/instance-connect-audit-trail.test.ts', 'SendSerialConsoleSSHPublicKey'],
  ],
  '9. resource policies aws-cdk-lib adds without conditions': [
    ['adversarial/resource-policies.test.ts', 'CloudTrail, for another account\\\'s trail, writes log files to the bucket'],
    ['adversarial/resource-policies.test.ts', 'an alarm of another account publishes to the alerts topic'],
    ['adversarial/resource-policies.test.ts', 'the only unbound service statements are those AWS documents without conditions (listed in the README)'],
  ],
  '10. alerts miss the attacks on the audit itself': [
    ['audit/instance-connect-audit-trail.test.ts', 'the %s rule on %#'],
    ['audit/instance-connect-audit-trail.test.ts', 'the tampering rules go to the topic and cost nothing per event: no metric or alarm of their own'],
  ],
  '11. RHEL/CentOS package install without an integrity check': [
    ['adversarial/synth-time.test.ts', 'an RPM swapped for another is not installed, and the user data stops'],
    ['adversarial/synth-time.test.ts', 'a latest/ URL (whose content changes) or no digest at all is refused at synth'],
  ],
  'every deny is load-bearing (mutation test)': [
    ['adversarial/attacks.test.ts', 'every deny is load-bearing'],
  ],
  'the checks: false negatives and false positives (fixture corpus)': [
    ['nag/corpus.test.ts', 'has at least 220 templates, each non-compliant one with its compliant twin and back'],
    ['nag/semantic-core.test.ts', 'the core decides as a real IAM evaluator on every corpus policy'],
  ],
};

describe('the adversarial checklist', () => {
  test.each(Object.entries(CHECKLIST))('%s is proven by tests that exist', (_hole, tests) => {
    expect(tests.length).toBeGreaterThan(0);
    for (const [file, name] of tests) {
      const text = fs.readFileSync(path.join(__dirname, '..', file), 'utf8');
      expect({ file, name, found: text.includes(name) }).toEqual({ file, name, found: true });
    }
  });
});
