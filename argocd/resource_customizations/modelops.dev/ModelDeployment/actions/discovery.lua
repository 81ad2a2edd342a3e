-- Which ModelOps rollout actions make sense for this ModelDeployment now. Every action only sets the
-- modelops.dev/action annotation, which the operator consumes (removes) and records in status.lastAction; the
-- states below are the ones in which the operator's RolloutPlanner acts on each request rather than ignoring it:
--   promote, promote-full  a canary is in flight with steps left (promote ends the current step), and its pods
--                          are not failing (promoting a version whose pods cannot start only adds failing pods)
--   abort                  a canary is in flight (also while its promotion rolls the stable track)
--   pause                  as promote, and the canary is not paused already
--   resume                 the canary is paused by hand or by an inconclusive analysis (a step that waits
--                          for promote is left with promote)
--   retry                  no canary, and the last canary was rolled back or aborted, or the pinned version was
--                          rejected by this deployment
-- Nothing is offered while a request is still pending (the annotation is set and not yet consumed), when the
-- strategy is Immediate, or before a version serves. Only the Lua base library is used: Argo CD runs argocd-cm
-- scripts without the standard libraries.

local function condition(status, conditionType)
  if status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == conditionType then
      return c
    end
  end
  return nil
end

local function isTrue(c)
  return c ~= nil and c.status == "True"
end

local pending = obj.metadata.annotations ~= nil and obj.metadata.annotations["modelops.dev/action"] ~= nil
local status = obj.status
if status == nil then
  status = {}
end
local rollout = obj.spec.rollout
local canaryStrategy = rollout == nil or rollout.strategy == nil or rollout.strategy == "Canary"
local steps = 0
if rollout ~= nil and rollout.steps ~= nil then
  steps = #rollout.steps
end
local serving = status.stable ~= nil and status.stable.modelVersion ~= nil
local usable = canaryStrategy and serving and not pending

local canary = status.canary
local inFlight = canary ~= nil
local stepsLeft = false
if inFlight then
  local step = canary.currentStep
  if step == nil then
    step = 0
  end
  stepsLeft = step < steps
end
local paused = condition(status, "Paused")
local isPaused = isTrue(paused)
local waitingForPromote = isPaused and paused.reason == "WaitingForPromote"
local rolledBack = isTrue(condition(status, "RolledBack"))
local degraded = condition(status, "Degraded")
local targetRejected = isTrue(degraded) and degraded.reason == "VersionRejected"

-- With a canary in flight the operator reports Degraded only when the canary's pods cannot become ready.
local canaryFailing = inFlight and isTrue(degraded)
local canGoOn = usable and stepsLeft and not canaryFailing

local enabled = {}
enabled["promote"] = canGoOn
enabled["promote-full"] = canGoOn
enabled["abort"] = usable and inFlight
enabled["pause"] = canGoOn and not isPaused
enabled["resume"] = usable and inFlight and isPaused and not waitingForPromote
enabled["retry"] = usable and not inFlight and (rolledBack or targetRejected)

local actions = {}
for _, name in ipairs({"promote", "promote-full", "abort", "retry", "pause", "resume"}) do
  actions[name] = {["disabled"] = not enabled[name]}
end
return actions
