-- Health of a modelops.dev/v1alpha1 ModelVersion, read from the status the ModelOps operator writes:
-- status.phase (Pending, Validating, Ready, Failed), the conditions (Ready, the summary, carries the reason and
-- message of the validation; ReconcileError while a reconcile fails), observedGeneration and rejections.
--   Pending, Validating (also while a transient failure is retried) -> Progressing
--   Ready (fetched, checksum verified, loaded, warmed up)             -> Healthy
--   Failed (until someone annotates modelops.dev/revalidate)          -> Degraded
-- A canary that failed on the version rejects it for that deployment only: the version stays Healthy, and the
-- message says which deployments serve it (the InUse condition) and which rejected it.
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

local function present(text)
  return text ~= nil and text ~= ""
end

-- "Reason: message" from a condition, or the fallback.
local function explain(c, fallback)
  if c == nil then
    return fallback
  end
  local message = c.message
  if not present(message) then
    message = fallback
  end
  if present(c.reason) then
    return c.reason .. ": " .. message
  end
  return message
end

local hs = {}
local status = obj.status
if status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the ModelOps operator to start validation"
  return hs
end

local failing = condition(status, "ReconcileError")
if failing ~= nil and failing.status == "True" then
  hs.status = "Degraded"
  hs.message = explain(failing, "the operator cannot reconcile this version")
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

local ready = condition(status, "Ready")
local phase = status.phase
if phase == "Ready" then
  hs.status = "Healthy"
  if ready ~= nil and present(ready.message) then
    hs.message = ready.message
  else
    hs.message = "validated"
  end
  local inUse = condition(status, "InUse")
  if inUse ~= nil and inUse.status == "True" and present(inUse.message) then
    hs.message = hs.message .. "; " .. inUse.message
  end
  if status.rejections ~= nil then
    local rejectedBy = ""
    for _, r in ipairs(status.rejections) do
      if rejectedBy ~= "" then
        rejectedBy = rejectedBy .. ", "
      end
      rejectedBy = rejectedBy .. tostring(r.deployment)
      if present(r.reason) then
        rejectedBy = rejectedBy .. " (" .. r.reason .. ")"
      end
    end
    if rejectedBy ~= "" then
      hs.message = hs.message .. "; rejected by ModelDeployment " .. rejectedBy
    end
  end
  return hs
end

if phase == "Failed" then
  hs.status = "Degraded"
  hs.message = explain(ready, "validation failed")
  return hs
end

hs.status = "Progressing"
hs.message = explain(ready, "Waiting for validation")
return hs
