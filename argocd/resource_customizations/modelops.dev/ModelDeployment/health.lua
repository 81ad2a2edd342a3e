-- Health of a modelops.dev/v1alpha1 ModelDeployment, read from the status the ModelOps operator writes:
-- status.phase (Healthy, Progressing, Paused, Degraded), the conditions (Ready, Available, Progressing,
-- Degraded, Paused, RolledBack; ReconcileError while a reconcile fails) and observedGeneration.
-- The operator decides the phase (RolloutPlanner and ServingStatusPlanner); this script maps it:
--   Paused (a step waiting for promote, an inconclusive analysis, a pause by hand) -> Suspended
--   Degraded (rolled back, aborted, rejected target, pods that cannot start)       -> Degraded
--   Healthy only once the target version serves everything (no canary left)       -> Healthy
-- Only the Lua base library is used: Argo CD runs argocd-cm scripts without the standard libraries.

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

local function present(text)
  return text ~= nil and text ~= ""
end

-- "Reason: message", from the condition's reason and the best message at hand.
local function explain(c, message, fallback)
  if not present(message) and c ~= nil then
    message = c.message
  end
  if not present(message) then
    message = fallback
  end
  if c ~= nil and present(c.reason) then
    return c.reason .. ": " .. message
  end
  return message
end

local hs = {}
local status = obj.status
if status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the ModelOps operator to report status"
  return hs
end

local failing = condition(status, "ReconcileError")
if isTrue(failing) then
  hs.status = "Degraded"
  hs.message = explain(failing, nil, "the operator cannot reconcile this deployment")
  return hs
end

local generation = obj.metadata.generation
if status.observedGeneration == nil or (generation ~= nil and generation > status.observedGeneration) then
  hs.status = "Progressing"
  hs.message = "Waiting for the ModelOps operator to observe generation " .. tostring(generation)
  if status.observedGeneration ~= nil then
    hs.message = hs.message .. " (status describes generation " .. tostring(status.observedGeneration) .. ")"
  end
  return hs
end

local phase = status.phase
if phase == "Degraded" then
  local degraded = condition(status, "Degraded")
  if not isTrue(degraded) then
    degraded = condition(status, "Ready")
  end
  hs.status = "Degraded"
  hs.message = explain(degraded, status.message, "the deployment is degraded")
  return hs
end

if phase == "Paused" then
  hs.status = "Suspended"
  hs.message = explain(condition(status, "Paused"), status.message, "the rollout is paused")
  return hs
end

if phase == "Healthy" and status.canary == nil then
  hs.status = "Healthy"
  hs.message = status.message
  if not present(hs.message) then
    hs.message = "serving the target version"
  end
  return hs
end

hs.status = "Progressing"
hs.message = status.message
if not present(hs.message) then
  hs.message = "Waiting for the rollout to finish"
end
return hs
